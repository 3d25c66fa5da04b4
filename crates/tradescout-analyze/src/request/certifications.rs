//! Certifications the buyer names, canonical ("CE", "RoHS", "ISO 9001"), once each. Short
//! codes must be written in capitals, so "ce" in French or "reach" in English are not read.

use super::vocab::{Hit, Tag};

/// Adds the certifications among `hits` to `into`, skipping those already there.
pub(crate) fn collect(hits: &[Hit], into: &mut Vec<String>) {
    for h in hits {
        if let Tag::Certification(name) = h.tag {
            if !into.iter().any(|c| c == name) {
                into.push(name.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certs(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        collect(&crate::request::vocab::scan(text), &mut v);
        v
    }

    #[test]
    fn canonical_names_once_each() {
        assert_eq!(
            certs("Need CE, RoHS and ce? Also CE/RoHS/UL. TUV and ISO9001"),
            vec!["CE", "RoHS", "UL", "TÜV", "ISO 9001"]
        );
        assert_eq!(
            certs("SAA certificate for Australia, cULus"),
            vec!["SAA", "cUL"]
        );
    }

    #[test]
    fn look_alike_words_are_not_certifications() {
        assert!(certs("what is the price? we can reach you, bis morgen, ce produit").is_empty());
        assert!(certs("IP address, gsm, ul. Marszałkowska").is_empty());
    }
}
