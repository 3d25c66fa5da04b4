//! Where the goods go: "CIF Hamburg" → port Hamburg, country DE; "ship to Lagos";
//! "delivery to Dubai"; "Destination port: Mombasa"; "envío a México"; "发到迪拜".
//! "FOB <port>" names the origin and is not read; nor is China, the seller's side.

use super::places::{places, Place};
use crate::types::Destination;
use regex::Regex;
use std::sync::OnceLock;

fn cues() -> &'static Option<Regex> {
    static CUES: OnceLock<Option<Regex>> = OnceLock::new();
    CUES.get_or_init(|| {
        Regex::new(concat!(
            // A Latin trade term may follow Han characters directly ("报CIF巴生港价格").
            r"(?i)(?:^|[^\p{L}]|\p{Han})(?:",
            r"(?P<term>CIF|CFR|CNF|C&F|C\s&\sF|CIP|CPT|DAP|DPU|DDP|DDU|DAT)(?:\sto\s)?",
            r"|(?:ship(?:ped|ping|ment)?|deliver(?:y|ed)?|send|sent|transport(?:ed)?|export(?:ed)?|import(?:ed)?|dispatch(?:ed)?|goods\sgo|go(?:ing)?)\s(?:it\s|them\s|the\sgoods\s)?(?:is\s|will\sbe\s)?(?:to|into|in)\s",
            r"|(?P<label>destination(?:\sport)?|port\sof\s(?:discharge|destination|delivery)|discharge\sport|delivery\sport|pod|final\sdestination|destino(?:\sfinal)?|puerto\sde\sdestino|porto\sde\sdestino|port\sde\sdestination|zielhafen|порт\sназначения)\s?(?:is\s|will\sbe\s)?[:：]?\s?(?:to\s)?",
            r"|(?:env[íi]o|entrega|enviar|despacho)\s(?:a|al|en|para|em|no|na)\s",
            r"|(?:livraison|livr[ée]e?s?|exp[ée]dition)\s(?:à|a|en|au|vers)\s",
            r"|(?:lieferung|versand|liefern)\s(?:nach|in)\s",
            r"|(?:доставка|доставкой|отгрузка|отправка)\s(?:в|до)\s",
            r"|(?:spedizione|consegna|spedire|consegnare)\s(?:a|in|al|presso)\s",
            r"|(?:الشحن|شحن|التوصيل|توصيل|الشحنة|التسليم|تسليم)\s(?:إلى|الى|ل)\s?(?:ميناء\s)?",
            r")",
            // Han characters are letters, so the Chinese cues stand without a word boundary.
            r"|(?:发到|运到|送到|发往|运往|寄到|出口到|交货到|交貨至|送至|运至|運至|发|發|到|至|抵|(?P<cjklabel>目的港|目的地)\s?(?:是|为)?[:：]?\s?)",
        ))
        .ok()
    })
}

/// The first destination the buyer names.
pub(crate) fn destination(text: &str) -> Option<Destination> {
    let re = cues().as_ref()?;
    let places = places();
    let mut unknown_port = None;
    for c in re.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        if let Some((place, _)) = places.place_at(text, whole.end()) {
            if place.country == "CN" {
                continue;
            }
            return Some(to_destination(place));
        }
        // "CIF Mombasa" with a port the table does not know: keep the port's name.
        if c.name("term").is_some() || c.name("label").is_some() || c.name("cjklabel").is_some() {
            if let Some(port) = capitalised_word(text, whole.end()) {
                unknown_port = unknown_port.or_else(|| {
                    Some(Destination {
                        country: None,
                        port: Some(port.to_string()),
                    })
                });
            }
        }
    }
    // "… to Lagos port", "Tema port".
    let found: Vec<_> = places.find_iter(text).collect();
    for (start, end, place) in found.iter().copied() {
        let after = text
            .get(end..)
            .unwrap_or("")
            .trim_start()
            .to_ascii_lowercase();
        if place.country != "CN"
            && ["port", "seaport", "liman", "hafen", "porto", "港"]
                .iter()
                .any(|w| after.starts_with(w))
            && start < text.len()
        {
            return Some(to_destination(place.clone()));
        }
    }
    if unknown_port.is_some() {
        return unknown_port;
    }
    // Last resort: a place the buyer is "in" ("for our warehouse in Houston, USA", "market in
    // Kenya", "a hotel in Perth, Australia", "在迪拜的项目") is where the goods end up.
    for (start, _, place) in found.iter().copied() {
        // The few words before the place are all a cue or an unnamed city can be.
        let from = (start.saturating_sub(96)..start)
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(start);
        let before = text
            .get(from..start)
            .unwrap_or("")
            .trim_end()
            .to_lowercase();
        let before = without_unnamed_city(&before);
        if place.country != "CN"
            && (LAST_RESORT_CUES.iter().any(|w| before.ends_with(w))
                || before.ends_with('在')
                || before.ends_with("位于"))
        {
            return Some(Destination {
                country: Some(place.country.clone()),
                port: None,
            });
        }
    }
    None
}

/// Words after which a place is where the goods end up: "in", and "for"/"para"/"für" before a
/// country or city ("licuadoras para México", "Lieferung nach München" is a cue already).
const LAST_RESORT_CUES: [&str; 18] = [
    " in", " in the", " en", " em", " au", " à", " a", " para", " for", " pour", " pour la",
    " pour le", " für", " per", " in die", " в", " во", " في",
];

/// "…a hotel in perth," → "…a hotel in": a city the table does not know (one to three
/// words), written before its country after a comma.
fn without_unnamed_city(before: &str) -> &str {
    let Some(rest) = before.strip_suffix([',', '，']) else {
        return before;
    };
    let mut cut = rest.trim_end();
    for _ in 0..3 {
        let Some(space) = cut.rfind(' ') else {
            return before;
        };
        let word = &cut[space + 1..];
        if word.is_empty()
            || !word
                .chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '.')
        {
            return before;
        }
        cut = cut[..space].trim_end();
        if [" in", " in the", " en", " em", " au"]
            .iter()
            .any(|w| cut.ends_with(w))
        {
            return cut;
        }
    }
    before
}

fn to_destination(place: Place) -> Destination {
    Destination {
        country: Some(place.country),
        port: place.port,
    }
}

/// A capitalised Latin word of 3–20 letters right at `at` (not a known word like "price").
fn capitalised_word(text: &str, at: usize) -> Option<&str> {
    let rest = text.get(at..)?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphabetic() || c == '-'))
        .unwrap_or(rest.len());
    let word = rest.get(..end)?;
    let first = word.chars().next()?;
    let n = word.chars().count();
    let common = [
        "Price",
        "Prices",
        "Port",
        "Term",
        "Terms",
        "Incoterms",
        "And",
        "Or",
        "Or",
        "Please",
        "Basis",
        "Quotation",
        "Shipping",
    ];
    (first.is_uppercase()
        && (3..=20).contains(&n)
        && !common.contains(&word)
        && !word.chars().all(|c| c.is_uppercase()))
    .then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dest(text: &str) -> Option<(Option<String>, Option<String>)> {
        destination(text).map(|d| (d.country, d.port))
    }

    fn port(country: &str, port: &str) -> Option<(Option<String>, Option<String>)> {
        Some((Some(country.into()), Some(port.into())))
    }

    #[test]
    fn incoterm_places_and_cue_phrases() {
        assert_eq!(dest("please quote CIF Hamburg"), port("DE", "Hamburg"));
        assert_eq!(dest("we will ship to Lagos"), port("NG", "Lagos"));
        assert_eq!(dest("delivery to Dubai"), port("AE", "Dubai"));
        assert_eq!(dest("Destination port: Mombasa"), port("KE", "Mombasa"));
        assert_eq!(dest("CIF Mersin port"), port("TR", "Mersin"));
        assert_eq!(dest("shipping to Germany"), Some((Some("DE".into()), None)));
        assert_eq!(dest("envío a México"), Some((Some("MX".into()), None)));
        assert_eq!(
            dest("نحتاج 500 غلاية، التسليم إلى الدمام."),
            port("SA", "الدمام")
        );
    }

    #[test]
    fn a_place_the_buyer_is_in_is_the_last_resort_destination() {
        assert_eq!(
            dest("200 pcs for a warehouse in Houston, USA"),
            Some((Some("US".into()), None))
        );
        assert_eq!(dest("we import from Germany"), None);
        for (text, country) in [
            (
                "LED flood light for a hotel garden in Perth, Australia",
                "AU",
            ),
            ("for our warehouse in Fort Worth, Texas, USA", "US"),
            ("para un hotel en Valencia, España", "ES"),
            ("用于我们在迪拜的酒店项目", "AE"),
        ] {
            assert_eq!(dest(text), Some((Some(country.into()), None)), "{text}");
        }
        assert_eq!(dest("发到悉尼"), port("AU", "悉尼"));
        // A city before a country that is not where the buyer is.
        assert_eq!(dest("we import from Perth, Australia"), None);
    }

    #[test]
    fn origin_ports_and_china_are_not_destinations() {
        assert_eq!(dest("FOB Shenzhen"), None);
        assert_eq!(dest("we import from China"), None);
    }

    #[test]
    fn unknown_port_after_incoterm_is_kept_by_name() {
        assert_eq!(dest("CIF Matadi"), Some((None, Some("Matadi".into()))));
    }
}
