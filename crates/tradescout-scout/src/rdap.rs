//! Domain registration facts from RDAP (RFC 9083): creation date and registrar. The server is
//! `--rdap-base` when given, else the shipped bootstrap table; requests go through the safe
//! fetcher.

use crate::error::ScoutError;
use crate::fetch::{Accept, Fetcher};
use chrono::{DateTime, NaiveDate, Utc};
use reqwest::Url;
use serde::Serialize;
use serde_json::Value;

const BOOTSTRAP: &str = include_str!("../data/rdap_bootstrap.json");

/// Second-level labels under which registrations happen one level deeper.
const SECOND_LEVELS: &[&str] = &["co", "com", "net", "org", "ac", "gov", "edu", "ltd", "plc"];

/// `domain_info` of the report; every field `null` when unknown.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DomainInfo {
    /// Registration date, `YYYY-MM-DD`.
    pub created: Option<String>,
    pub age_days: Option<i64>,
    pub registrar: Option<String>,
    /// The registrant organisation, when the registry publishes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registrant: Option<String>,
}

/// Looks the domain up at `base` (or the bootstrap server for its TLD).
pub async fn lookup(
    fetcher: &Fetcher,
    base: Option<&str>,
    domain: &str,
) -> Result<DomainInfo, ScoutError> {
    let domain = registrable(domain);
    let base = match base {
        Some(b) => b.to_string(),
        None => bootstrap_base(&domain).ok_or_else(|| ScoutError::Refused {
            url: format!("RDAP for {domain}"),
            reason: "no RDAP server is known for this top-level domain".into(),
        })?,
    };
    let url =
        Url::parse(&format!("{}/domain/{domain}", base.trim_end_matches('/'))).map_err(|e| {
            ScoutError::Request {
                url: base.clone(),
                reason: e.to_string(),
            }
        })?;
    let page = fetcher.fetch(&url, Accept::Api).await?;
    let json: Value = serde_json::from_str(&page.text).map_err(|e| ScoutError::Request {
        url: url.to_string(),
        reason: format!("not RDAP JSON: {e}"),
    })?;
    Ok(parse(&json, Utc::now()))
}

/// Reads the registration event and the registrar (and registrant) entities.
pub fn parse(json: &Value, now: DateTime<Utc>) -> DomainInfo {
    let mut info = DomainInfo::default();
    let events = json.get("events").and_then(Value::as_array);
    let created = events
        .into_iter()
        .flatten()
        .find(|e| e.get("eventAction").and_then(Value::as_str) == Some("registration"));
    if let Some(date) = created
        .and_then(|e| e.get("eventDate"))
        .and_then(Value::as_str)
        .and_then(|d| d.get(..10))
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        info.created = Some(date.format("%Y-%m-%d").to_string());
        info.age_days = Some((now.date_naive() - date).num_days());
    }
    for entity in json
        .get("entities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let roles: Vec<&str> = entity
            .get("roles")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if roles.contains(&"registrar") && info.registrar.is_none() {
            info.registrar = vcard_field(entity, "fn");
        }
        if roles.contains(&"registrant") && info.registrant.is_none() {
            info.registrant = vcard_field(entity, "org").or_else(|| vcard_field(entity, "fn"));
        }
    }
    info
}

/// A text property of an entity's jCard (`["vcard", [["fn", {}, "text", "Name"], …]]`).
fn vcard_field(entity: &Value, name: &str) -> Option<String> {
    let props = entity.get("vcardArray")?.get(1)?.as_array()?;
    props
        .iter()
        .filter_map(Value::as_array)
        .find(|p| p.first().and_then(Value::as_str) == Some(name))
        .and_then(|p| p.get(3))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.to_ascii_uppercase().contains("REDACTED"))
        .map(str::to_string)
}

/// The name registered with the registry: `shop.acme.co.uk` → `acme.co.uk`.
pub fn registrable(domain: &str) -> String {
    let labels: Vec<&str> = domain.trim_end_matches('.').split('.').collect();
    let n = labels.len();
    let keep = if n >= 3 && SECOND_LEVELS.contains(&labels[n - 2]) && labels[n - 1].len() == 2 {
        3
    } else {
        2
    };
    labels[n.saturating_sub(keep)..]
        .join(".")
        .to_ascii_lowercase()
}

fn bootstrap_base(domain: &str) -> Option<String> {
    let tld = domain.rsplit('.').next()?.to_ascii_lowercase();
    let table: Value = serde_json::from_str(BOOTSTRAP).ok()?;
    table
        .get("services")?
        .as_array()?
        .iter()
        .find(|s| {
            s.get(0)
                .and_then(Value::as_array)
                .is_some_and(|tlds| tlds.iter().any(|t| t.as_str() == Some(tld.as_str())))
        })
        .and_then(|s| s.get(1)?.get(0)?.as_str().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_event_and_registrar_vcard_are_read() {
        let json: Value = serde_json::from_str(
            r#"{"objectClassName":"domain","ldhName":"SHOP.EXAMPLE",
            "events":[{"eventAction":"last changed","eventDate":"2024-01-01T00:00:00Z"},
                      {"eventAction":"registration","eventDate":"2020-03-15T10:00:00Z"}],
            "entities":[{"roles":["registrar"],"vcardArray":["vcard",[["version",{},"text","4.0"],["fn",{},"text","Example Registrar, Inc."]]]},
                        {"roles":["registrant"],"vcardArray":["vcard",[["fn",{},"text","REDACTED FOR PRIVACY"]]]}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let now = DateTime::parse_from_rfc3339("2021-03-15T00:00:00Z")
            .unwrap_or_else(|e| panic!("{e}"))
            .with_timezone(&Utc);
        let info = parse(&json, now);
        assert_eq!(info.created.as_deref(), Some("2020-03-15"));
        assert_eq!(info.age_days, Some(365));
        assert_eq!(info.registrar.as_deref(), Some("Example Registrar, Inc."));
        assert_eq!(info.registrant, None);
    }

    #[test]
    fn bootstrap_knows_common_tlds_and_registrable_names_drop_subdomains() {
        assert!(bootstrap_base("acme.com").is_some_and(|b| b.contains("verisign")));
        assert!(bootstrap_base("acme.co.uk").is_some_and(|b| b.contains("nominet")));
        assert_eq!(registrable("www.shop.acme.co.uk"), "acme.co.uk");
        assert_eq!(registrable("shop.acme.com"), "acme.com");
    }
}
