//! Reading spec values the way buyers and catalogues write them: `IP65`, `ip 65`, `100W`,
//! `220-240V`, `AC100-277V`, `110V/60Hz`.

use serde_json::Value;

/// An ingress protection rating: solid-object digit and water digit (`X` read as 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRating {
    pub solid: u8,
    pub water: u8,
}

impl IpRating {
    /// Reads `IP65`, `ip 65`, `IPX7`, `IP6X` anywhere in `text`.
    pub fn parse(text: &str) -> Option<IpRating> {
        let up = text.to_ascii_uppercase();
        let bytes = up.as_bytes();
        let mut i = 0;
        while let Some(pos) = up[i..].find("IP") {
            let mut j = i + pos + 2;
            while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'-') {
                j += 1;
            }
            if j + 1 < bytes.len() {
                let (a, b) = (bytes[j], bytes[j + 1]);
                let digit = |c: u8, max: u8| match c {
                    b'X' => Some(0),
                    b'0'..=b'9' if c - b'0' <= max => Some(c - b'0'),
                    _ => None,
                };
                let tail_ok = bytes.get(j + 2).is_none_or(|c| !c.is_ascii_digit());
                if let (Some(solid), Some(water), true) = (digit(a, 6), digit(b, 9), tail_ok) {
                    if water <= 9 {
                        return Some(IpRating { solid, water });
                    }
                }
            }
            i += pos + 2;
        }
        None
    }

    /// Whether this rating protects at least as well as `need` on both digits.
    pub fn covers(self, need: IpRating) -> bool {
        self.solid >= need.solid && self.water >= need.water
    }

    /// Whether this rating goes beyond `need` on either digit while covering it.
    pub fn exceeds(self, need: IpRating) -> bool {
        self.covers(need) && self != need
    }
}

impl std::fmt::Display for IpRating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IP{}{}", self.solid, self.water)
    }
}

/// A supply voltage range a product accepts, in volts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoltageRange {
    pub min: f64,
    pub max: f64,
}

impl VoltageRange {
    /// Reads `220-240V`, `AC100-277V`, `110V`, `100~240 VAC`, `220V/50Hz`, `12V DC`.
    pub fn parse(text: &str) -> Option<VoltageRange> {
        let up = text.to_ascii_uppercase();
        let cut = up.find("HZ").map(|p| &up[..p]).unwrap_or(&up);
        // Drop a trailing frequency such as `/50` before the Hz.
        let cut = match (up.contains("HZ"), cut.rfind('/')) {
            (true, Some(p)) => &cut[..p],
            _ => cut,
        };
        let nums = numbers(cut);
        if !up.contains('V') && nums.is_empty() {
            return None;
        }
        let in_range = |v: &f64| (1.0..=1000.0).contains(v);
        let nums: Vec<f64> = nums.into_iter().filter(in_range).take(2).collect();
        match nums.as_slice() {
            [v] => Some(VoltageRange { min: *v, max: *v }),
            [a, b] => Some(VoltageRange {
                min: a.min(*b),
                max: a.max(*b),
            }),
            _ => None,
        }
    }

    /// Whether a supply of `nominal` volts (±6 %, the usual mains tolerance band around the
    /// nominal figure) is within this range.
    pub fn accepts(self, nominal: f64) -> bool {
        let tolerance = if self.min == self.max { 0.1 } else { 0.06 };
        nominal >= self.min * (1.0 - tolerance) && nominal <= self.max * (1.0 + tolerance)
    }
}

impl std::fmt::Display for VoltageRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.min == self.max {
            write!(f, "{}V", self.min)
        } else {
            write!(f, "{}-{}V", self.min, self.max)
        }
    }
}

/// Reads a wattage: `100`, `100W`, `100 w`, `1.5kW`.
pub fn parse_watts(text: &str) -> Option<f64> {
    let up = text.to_ascii_uppercase();
    let n = *numbers(&up).first()?;
    Some(if up.contains("KW") { n * 1000.0 } else { n })
}

/// A spec value as text, whatever JSON type it came in.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Normalises one catalogue spec value by its (already lower-cased) name: IP ratings to
/// `IP65`, watts to a number, voltages to `220-240V`; anything else trimmed text.
pub fn normalise(name: &str, raw: &str) -> Value {
    let raw = raw.trim();
    match name {
        "ip_rating" | "ip" => IpRating::parse(raw)
            .map(|ip| Value::String(ip.to_string()))
            .unwrap_or_else(|| Value::String(raw.to_string())),
        "power_w" | "power" | "wattage" => match parse_watts(raw) {
            Some(w) if w.fract() == 0.0 => Value::from(w as i64),
            Some(w) => Value::from(w),
            None => Value::String(raw.to_string()),
        },
        "voltage" => VoltageRange::parse(raw)
            .map(|v| Value::String(v.to_string()))
            .unwrap_or_else(|| Value::String(raw.to_string())),
        _ => Value::String(raw.to_string()),
    }
}

/// Decimal numbers in `text`, in order (`220-240` gives 220 and 240; `1.5` gives 1.5).
fn numbers(text: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty() && !cur.contains('.')) {
            cur.push(c);
        } else if !cur.is_empty() {
            if let Ok(n) = cur.trim_end_matches('.').parse() {
                out.push(n);
            }
            cur.clear();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_ratings_are_read_in_the_usual_spellings() {
        assert_eq!(
            IpRating::parse("ip 65").map(|i| i.to_string()),
            Some("IP65".into())
        );
        assert_eq!(IpRating::parse("IPX7").map(|i| i.water), Some(7));
        assert_eq!(
            IpRating::parse("waterproof IP68 rated"),
            IpRating::parse("IP68")
        );
        assert_eq!(IpRating::parse("SHIP 100"), None);
    }

    #[test]
    fn ip68_covers_and_exceeds_ip65_but_ip44_does_not_cover_it() {
        let (a, b, c) = (
            IpRating { solid: 6, water: 8 },
            IpRating { solid: 6, water: 5 },
            IpRating { solid: 4, water: 4 },
        );
        assert!(a.covers(b) && a.exceeds(b));
        assert!(!c.covers(b));
    }

    #[test]
    fn voltage_ranges_and_frequencies_are_read() {
        let v = VoltageRange::parse("AC100-277V").unwrap_or_else(|| panic!("no range"));
        assert_eq!((v.min, v.max), (100.0, 277.0));
        let v = VoltageRange::parse("220V/50Hz").unwrap_or_else(|| panic!("no range"));
        assert_eq!((v.min, v.max), (220.0, 220.0));
        assert!(v.accepts(230.0));
        let us = VoltageRange::parse("110V").unwrap_or_else(|| panic!("no range"));
        assert!(!us.accepts(230.0) && us.accepts(120.0));
        assert_eq!(
            normalise("voltage", "220~240 VAC"),
            Value::String("220-240V".into())
        );
    }

    #[test]
    fn watts_are_read_as_numbers() {
        assert_eq!(parse_watts("100W"), Some(100.0));
        assert_eq!(parse_watts("1.5kW"), Some(1500.0));
        assert_eq!(normalise("power_w", "50 W"), serde_json::json!(50));
    }
}
