//! The SSRF guard: which addresses the fetcher may connect to. Loopback, private, link-local,
//! CGNAT, multicast, unspecified and unique-local addresses (and IPv4-mapped IPv6 forms of
//! them) are refused unless the user allows private addresses.

use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether an address is outside the public internet and must not be fetched by default.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_forbidden_v4(v4);
            }
            let seg = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (seg[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (seg[0] & 0xffc0) == 0xfec0 // deprecated site-local
                // IPv4-compatible ::a.b.c.d and NAT64 64:ff9b::/96 wrapping a forbidden address
                || (seg[0..6] == [0, 0, 0, 0, 0, 0] && is_forbidden_v4(embedded_v4(v6)))
                || (seg[0..6] == [0x64, 0xff9b, 0, 0, 0, 0] && is_forbidden_v4(embedded_v4(v6)))
        }
    }
}

fn embedded_v4(v6: Ipv6Addr) -> Ipv4Addr {
    let o = v6.octets();
    Ipv4Addr::new(o[12], o[13], o[14], o[15])
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || o[0] == 0 // "this network" 0/8
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // CGNAT 100.64/10
        || o[0] >= 240 // reserved
}

/// The IP address a URL's host names literally, in any of the forms browsers accept
/// (`2130706433`, `0177.0.0.1`, `0x7f.1`, `[::ffff:127.0.0.1]`). `Url` already normalises
/// these for http(s); this also covers hosts handed over as plain strings.
pub fn literal_ip(host: &str) -> Option<IpAddr> {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = h.parse::<IpAddr>() {
        return Some(ip);
    }
    parse_loose_v4(h).map(IpAddr::V4)
}

/// IPv4 in the inet_aton forms: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x).
fn parse_loose_v4(host: &str) -> Option<Ipv4Addr> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        let p = p.to_ascii_lowercase();
        let n = if let Some(hex) = p.strip_prefix("0x") {
            if hex.is_empty() {
                0
            } else {
                u64::from_str_radix(hex, 16).ok()?
            }
        } else if p.len() > 1 && p.starts_with('0') {
            u64::from_str_radix(&p[1..], 8).ok()?
        } else {
            p.parse::<u64>().ok()?
        };
        nums.push(n);
    }
    let (last, head) = nums.split_last()?;
    if head.iter().any(|&n| n > 255) || *last >= 1u64 << (8 * (5 - nums.len())) {
        return None;
    }
    let mut value: u64 = *last;
    for (i, n) in head.iter().enumerate() {
        value |= n << (8 * (3 - i));
    }
    u32::try_from(value).ok().map(Ipv4Addr::from)
}

/// Why a URL may not be fetched before any connection is made, or `None` when it may.
pub fn refuse_url(url: &Url, allow_private: bool) -> Option<String> {
    match url.scheme() {
        "http" | "https" => {}
        other => return Some(format!("scheme {other} is not fetched")),
    }
    let host = url.host_str()?;
    if let Some(ip) = literal_ip(host) {
        if !allow_private && is_forbidden(ip) {
            return Some(format!("address {ip} is not public"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_refused(s: &str) -> bool {
        match Url::parse(s) {
            Ok(u) => refuse_url(&u, false).is_some(),
            Err(_) => true,
        }
    }

    #[test]
    fn private_and_special_ipv4_ranges_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.254",
            "224.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
        ] {
            let parsed: IpAddr = ip.parse().unwrap_or_else(|e| panic!("{ip}: {e}"));
            assert!(is_forbidden(parsed), "{ip} should be refused");
        }
        for ip in ["8.8.8.8", "172.32.0.1", "100.128.0.1", "93.184.216.34"] {
            let parsed: IpAddr = ip.parse().unwrap_or_else(|e| panic!("{ip}: {e}"));
            assert!(!is_forbidden(parsed), "{ip} should be allowed");
        }
    }

    #[test]
    fn private_and_special_ipv6_ranges_and_mapped_forms_are_refused() {
        for ip in [
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            let parsed: IpAddr = ip.parse().unwrap_or_else(|e| panic!("{ip}: {e}"));
            assert!(is_forbidden(parsed), "{ip} should be refused");
        }
        let public: IpAddr = "2606:4700::1111".parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(!is_forbidden(public));
    }

    #[test]
    fn encoded_ipv4_literals_are_normalised_and_refused() {
        for s in [
            "2130706433",
            "0177.0.0.1",
            "0x7f.1",
            "0x7f000001",
            "127.1",
            "017700000001",
        ] {
            assert_eq!(
                literal_ip(s),
                Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
                "{s} is 127.0.0.1"
            );
        }
        assert_eq!(literal_ip("shop.example"), None);
        assert_eq!(literal_ip("256.1.1.1"), None);
    }

    #[test]
    fn urls_with_private_hosts_in_any_form_are_refused() {
        for u in [
            "http://127.0.0.1/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://0x7f.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[fe80::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.1.1/",
            "ftp://example.com/",
            "file:///etc/passwd",
        ] {
            assert!(url_refused(u), "{u} should be refused");
        }
        assert!(!url_refused("https://example.com/about"));
        let local = Url::parse("http://127.0.0.1:8080/").unwrap_or_else(|e| panic!("{e}"));
        assert!(refuse_url(&local, true).is_none());
    }
}
