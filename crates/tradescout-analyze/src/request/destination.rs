//! Where the goods go: "CIF Hamburg" → port Hamburg, country DE; "ship to Lagos";
//! "delivery to Dubai"; "Destination port: Mombasa"; "envío a México"; "发到迪拜".
//! "FOB <port>" names the origin and is not read; nor is China, the seller's side.

use super::lexicon::{alternation, request_data};
use super::places::{places, Place};
use crate::types::Destination;
use regex::Regex;
use std::sync::OnceLock;

/// `(?:words)\s` made optional, or nothing when there are no words.
fn optional(words: &[String]) -> String {
    if words.is_empty() {
        String::new()
    } else {
        format!(r"(?:(?:{})\s)?", alternation(words))
    }
}

/// The cues after which a place is the destination, built from `[destination]` of the
/// request data: a trade term, a label, a verb of sending in a buyer language.
fn cues() -> &'static Option<Regex> {
    static CUES: OnceLock<Option<Regex>> = OnceLock::new();
    CUES.get_or_init(|| {
        let d = &request_data().destination;
        let mut latin = vec![
            format!(r"(?P<term>{})(?:\sto\s)?", alternation(&d.terms)),
            format!(
                r"(?P<label>{})\s?{}[:：]?\s?(?:to\s)?",
                alternation(&d.labels),
                optional(&d.label_fillers)
            ),
        ];
        for g in &d.sending {
            if g.verbs.is_empty() || g.prepositions.is_empty() {
                continue;
            }
            latin.push(format!(
                r"(?:{})\s{}{}(?:{}){}{}",
                alternation(&g.verbs),
                optional(&g.objects),
                optional(&g.auxiliaries),
                alternation(&g.prepositions),
                if g.glued { r"\s?" } else { r"\s" },
                optional(&g.before_place),
            ));
        }
        let pattern = format!(
            // A Latin trade term may follow Han characters directly ("报CIF巴生港价格"); Han
            // characters are letters, so the Chinese cues stand without a word boundary.
            r"(?i)(?:^|[^\p{{L}}]|\p{{Han}})(?:{})|(?:{}|(?P<cjklabel>{})\s?(?:{})?[:：]?\s?)",
            latin.join("|"),
            alternation(&d.sending_cjk),
            alternation(&d.labels_cjk),
            alternation(&d.label_fillers_cjk),
        );
        Regex::new(&pattern).ok()
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
        // The word right after the place is all that counts: a few characters, not the rest.
        let after = super::text::capped(text.get(end..).unwrap_or("").trim_start(), 16)
            .to_ascii_lowercase();
        if place.country != "CN"
            && request_data()
                .destination
                .port_words
                .iter()
                .any(|w| after.starts_with(w.as_str()))
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
        let d = &request_data().destination;
        if place.country != "CN"
            && (d.in_place.iter().any(|w| ends_with_word(before, w))
                || d.in_place_cjk.iter().any(|w| before.ends_with(w.as_str())))
        {
            return Some(Destination {
                country: Some(place.country.clone()),
                port: None,
            });
        }
    }
    None
}

/// Whether `text` ends with the word `w` after a space ("… warehouse in").
fn ends_with_word(text: &str, w: &str) -> bool {
    text.strip_suffix(w).is_some_and(|rest| rest.ends_with(' '))
}

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
                .all(|c| tradescout_core::phrases::is_alphabetic(c) || c == '-' || c == '.')
        {
            return before;
        }
        cut = cut[..space].trim_end();
        if request_data()
            .destination
            .in_place_before_city
            .iter()
            .any(|w| ends_with_word(cut, w))
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
        .find(|c: char| !(tradescout_core::phrases::is_alphabetic(c) || c == '-'))
        .unwrap_or(rest.len());
    let word = rest.get(..end)?;
    let first = word.chars().next()?;
    let n = word.chars().count();
    (first.is_uppercase()
        && (3..=20).contains(&n)
        && !request_data()
            .destination
            .not_ports
            .iter()
            .any(|w| w == word)
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
    fn the_cue_words_of_the_data_compile() {
        assert!(cues().is_some());
        assert!(request_data().destination.sending.len() >= 7);
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
            dest("Entrega en el puerto de Valencia."),
            port("ES", "Valencia")
        );
        assert_eq!(dest("ship to the port of Mombasa"), port("KE", "Mombasa"));
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
