//! schema.org structured data on a page: JSON-LD and microdata Organization-like objects
//! (name, address, country, phone, e-mail, founding year, profiles) and Product names.

use crate::extract::{clean, is_social, push_unique, sel, select, PageFacts};
use reqwest::Url;
use scraper::Html;
use serde_json::Value;

const ORG_TYPES: &[&str] = &[
    "Organization",
    "Corporation",
    "LocalBusiness",
    "Store",
    "OnlineStore",
    "WholesaleStore",
    "Manufacturer",
    "Brand",
    "ProfessionalService",
    "FinancialService",
    "NGO",
];

/// Whether a schema.org type describes a company: the listed ones and the many LocalBusiness
/// and Organization subtypes named "…Store", "…Business", "…Organization" ("HardwareStore",
/// "HomeAndConstructionBusiness", "EducationalOrganization").
fn is_org_type(t: &str) -> bool {
    let t = t.rsplit('/').next().unwrap_or(t);
    ORG_TYPES.contains(&t)
        || ["Store", "Business", "Organization", "Corporation"]
            .iter()
            .any(|suffix| t.ends_with(suffix))
}

pub(crate) fn json_ld(value: &Value, facts: &mut PageFacts, depth: usize) {
    if depth > 6 {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| json_ld(v, facts, depth + 1)),
        Value::Object(map) => {
            let types: Vec<&str> = match map.get("@type") {
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let name = map.get("name").and_then(Value::as_str).map(clean);
            if types.contains(&"Product") {
                if let Some(n) = name.clone() {
                    push_unique(&mut facts.products, n);
                }
                // Its brand, manufacturer and seller are other companies, not the site's.
                return;
            } else if types.iter().any(|t| is_org_type(t)) {
                // The registered name where the site gives one (Squarespace writes only that).
                let legal = map.get("legalName").and_then(Value::as_str).map(clean);
                organisation(map, legal.filter(|l| !l.is_empty()).or(name), facts);
            }
            for (k, v) in map {
                if k != "address" && (v.is_object() || v.is_array()) {
                    json_ld(v, facts, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn organisation(map: &serde_json::Map<String, Value>, name: Option<String>, facts: &mut PageFacts) {
    if let Some(n) = name.filter(|n| !n.is_empty()) {
        push_unique(&mut facts.org_names, n);
    }
    match map.get("address") {
        Some(Value::String(s)) => facts.address = facts.address.take().or(Some(clean(s))),
        Some(Value::Object(a)) => {
            let part = |k: &str| a.get(k).and_then(Value::as_str).map(clean);
            let country = match a.get("addressCountry") {
                Some(Value::String(s)) => Some(clean(s)),
                Some(Value::Object(c)) => c.get("name").and_then(Value::as_str).map(clean),
                _ => None,
            };
            let line: Vec<String> = [
                part("streetAddress"),
                part("postalCode"),
                part("addressLocality"),
                part("addressRegion"),
                country.clone(),
            ]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
            if facts.address.is_none() && !line.is_empty() {
                facts.address = Some(line.join(", "));
            }
            if facts.country.is_none() {
                facts.country = country;
            }
        }
        _ => {}
    }
    for key in ["telephone", "faxNumber"].iter().take(1) {
        if let Some(t) = map.get(*key).and_then(Value::as_str) {
            push_unique(&mut facts.phones, t.to_string());
        }
    }
    if let Some(e) = map.get("email").and_then(Value::as_str) {
        push_unique(
            &mut facts.emails,
            e.trim_start_matches("mailto:").to_ascii_lowercase(),
        );
    }
    if let Some(year) = map
        .get("foundingDate")
        .and_then(Value::as_str)
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
    {
        facts.founded = facts.founded.or(Some(year));
    }
    let same_as: Vec<&str> = match map.get("sameAs") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for s in same_as {
        if let Ok(u) = Url::parse(s) {
            if is_social(&u) {
                push_unique(&mut facts.social, u.to_string());
            }
        }
    }
}

/// schema.org microdata: `itemtype` Organization-like elements and their `itemprop`s.
pub(crate) fn microdata(doc: &Html, facts: &mut PageFacts) {
    for scope in select(doc, "[itemscope][itemtype]") {
        let itemtype = scope.value().attr("itemtype").unwrap_or("");
        if itemtype.ends_with("/Product") {
            let name = sel(r#"[itemprop="name"]"#).and_then(|s| {
                scope.select(&s).next().map(|e| {
                    e.value()
                        .attr("content")
                        .map(clean)
                        .unwrap_or_else(|| clean(&e.text().collect::<String>()))
                })
            });
            if let Some(n) = name.filter(|n| (2..=80).contains(&n.chars().count())) {
                if facts.products.len() < 30 {
                    push_unique(&mut facts.products, n);
                }
            }
            continue;
        }
        if !is_org_type(itemtype) {
            continue;
        }
        let prop = |name: &str| {
            sel(&format!(r#"[itemprop="{name}"]"#)).and_then(|s| {
                scope.select(&s).next().map(|e| {
                    let v = e.value();
                    v.attr("content")
                        .or_else(|| v.attr("href"))
                        .map(str::to_string)
                        .unwrap_or_else(|| clean(&e.text().collect::<String>()))
                })
            })
        };
        if let Some(n) = prop("name").filter(|n| !n.is_empty()) {
            push_unique(&mut facts.org_names, n);
        }
        if let Some(t) = prop("telephone") {
            push_unique(&mut facts.phones, t.trim_start_matches("tel:").to_string());
        }
        if let Some(e) = prop("email") {
            push_unique(
                &mut facts.emails,
                e.trim_start_matches("mailto:").to_ascii_lowercase(),
            );
        }
        if facts.country.is_none() {
            facts.country = prop("addressCountry").filter(|c| !c.is_empty());
        }
        if facts.address.is_none() {
            facts.address = prop("address").filter(|a| !a.is_empty());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::extract;
    use reqwest::Url;

    #[test]
    fn local_business_subtypes_count_and_a_products_brand_is_not_the_site() {
        let url = Url::parse("https://shop.example/p/1").unwrap_or_else(|e| panic!("{e}"));
        let f = extract(
            &url,
            r#"<script type="application/ld+json">[
            {"@type":"Product","name":"LED tube T8 120 cm","brand":{"@type":"Brand","name":"Philips"},
             "offers":{"@type":"Offer","seller":{"@type":"Organization","name":"Some Marketplace"}}},
            {"@type":"HomeAndConstructionBusiness","name":"Elektro Nord GmbH",
             "address":{"@type":"PostalAddress","addressCountry":"DE"}}]</script>"#,
            true,
        );
        assert_eq!(f.org_names, ["Elektro Nord GmbH"]);
        assert_eq!(f.products, ["LED tube T8 120 cm"]);
        assert_eq!(f.country.as_deref(), Some("DE"));
    }
}
