//! The buyer's language, as an ISO 639-1 code.
//!
//! Scripts decide first (Hangul, Kana, Han, Arabic, Cyrillic and a few more say the language
//! on their own); Latin-script text goes to `whatlang` when long enough and to a vote of
//! give-away words and letters (`data/language.toml`) when short. Signature-like lines after
//! the body count little, so a Chinese buyer writing English with a Chinese signature reads
//! as English. URLs, e-mail addresses and tokens with digits (model codes, phones) are ignored.

use crate::request::text::{capped, FastMap, MAX_SCAN};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use whatlang::{Detector, Lang};

/// The language `text` is written in, or `None` when it is empty or cannot be told.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let text = capped(text, MAX_SCAN);
    let body_end = body_end(text);
    let mut scan = Scan::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let in_signature = offset >= body_end && line.len() <= 120 && line.chars().count() <= 40;
        scan.add_line(line, if in_signature { 0.25 } else { 1.0 });
        offset += line.len();
        if scan.letters > 20_000 {
            break;
        }
    }
    scan.decide(text)
}

/// Lines count fully up to the end of the last line with real prose in it; the short lines
/// after it are a signature or a sign-off.
fn body_end(text: &str) -> usize {
    let mut offset = 0;
    let mut end = None;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        // Letters, roughly: ASCII letters and the first byte of each non-ASCII char.
        let letters = line
            .bytes()
            .filter(|b| b.is_ascii_alphabetic() || *b >= 0xC0)
            .count();
        if letters >= 25 {
            end = Some(offset);
        }
    }
    end.unwrap_or(text.len())
}

/// Letters per script (weighted by where the line is) and the Latin word vote, from one pass.
#[derive(Default)]
struct Scan {
    latin: f64,
    cyrillic: f64,
    ukrainian: f64,
    arabic: f64,
    persian: f64,
    han: f64,
    kana: f64,
    hangul: f64,
    thai: f64,
    hebrew: f64,
    greek: f64,
    devanagari: f64,
    /// Latin letters, unweighted.
    letters: usize,
    votes: [u32; LANGS.len()],
    word: String,
}

impl Scan {
    fn add_line(&mut self, line: &str, weight: f64) {
        let lexicon = lexicon();
        for token in line.split_whitespace() {
            // One pass over the bytes: noise (digits, '@', URLs), letters, the lowercase word.
            let (mut ascii, mut noise, mut letters, mut n) = (true, false, 0usize, 0usize);
            let mut buf = [0u8; 16];
            for b in token.bytes() {
                match b {
                    b'a'..=b'z' | b'A'..=b'Z' => {
                        letters += 1;
                        if n < buf.len() {
                            buf[n] = b.to_ascii_lowercase();
                        }
                        n += 1;
                    }
                    b'\'' => {
                        if n < buf.len() {
                            buf[n] = b;
                        }
                        n += 1;
                    }
                    b'0'..=b'9' | b'@' => noise = true,
                    b':' if token.contains("://") => noise = true,
                    0x80.. => ascii = false,
                    _ => {}
                }
            }
            if !ascii {
                if is_noise_token(token) {
                    continue;
                }
            } else {
                if noise || token.starts_with("www.") {
                    continue;
                }
                self.latin += letters as f64 * weight;
                self.letters += letters;
                let word = if n <= buf.len() {
                    std::str::from_utf8(&buf[..n]).unwrap_or("")
                } else {
                    ""
                };
                if let Some(mask) = lexicon.stopwords.get(word) {
                    add_votes(&mut self.votes, *mask, 1);
                }
                continue;
            }
            self.word.clear();
            for c in token.chars() {
                self.add_char(c, weight);
                if (c as u32) < 0x2000 && tradescout_core::phrases::is_alphabetic(c) {
                    if let Some(mask) = lexicon.letters.get(&c) {
                        add_votes(&mut self.votes, *mask, 2);
                    }
                    // U+0130 is the one character whose lower case is two.
                    if c == '\u{130}' {
                        self.word.extend(c.to_lowercase());
                    } else {
                        self.word.push(tradescout_core::phrases::lower_first(c));
                    }
                }
            }
            if let Some(mask) = lexicon.stopwords.get(self.word.as_str()) {
                add_votes(&mut self.votes, *mask, 1);
            }
        }
    }

    fn add_char(&mut self, c: char, w: f64) {
        let u = c as u32;
        match u {
            0xC0..=0x24F | 0x1E00..=0x1EFF if tradescout_core::phrases::is_alphabetic(c) => {
                self.latin += w;
                self.letters += 1;
            }
            0x400..=0x52F => {
                self.cyrillic += w;
                if matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'І' | 'Ї' | 'Є' | 'Ґ') {
                    self.ukrainian += w;
                }
            }
            0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                self.arabic += w;
                if matches!(c, 'پ' | 'چ' | 'ژ' | 'گ' | 'ی') {
                    self.persian += w;
                }
            }
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => self.kana += w * 2.5,
            0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF => self.han += w * 2.5,
            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => self.hangul += w * 2.0,
            0xE00..=0xE7F => self.thai += w,
            0x590..=0x5FF => self.hebrew += w,
            0x370..=0x3FF => self.greek += w,
            0x900..=0x97F => self.devanagari += w,
            _ => {}
        }
    }

    fn decide(&self, text: &str) -> Option<&'static str> {
        let cjk = self.han + self.kana;
        let scripts = [
            (self.latin, "latin"),
            (self.cyrillic, "cyrillic"),
            (self.arabic, "arabic"),
            (cjk, "cjk"),
            (self.hangul, "hangul"),
            (self.thai, "th"),
            (self.hebrew, "he"),
            (self.greek, "el"),
            (self.devanagari, "hi"),
        ];
        let (best, script) = scripts.iter().fold(
            (0.0, ""),
            |acc, &(n, s)| if n > acc.0 { (n, s) } else { acc },
        );
        if best <= 0.0 {
            return None;
        }
        match script {
            "latin" => self.latin_language(text),
            "cyrillic" => Some(if self.ukrainian >= 1.0 { "uk" } else { "ru" }),
            "arabic" => Some(
                if self.persian >= 2.0 && self.persian * 20.0 >= self.arabic {
                    "fa"
                } else {
                    "ar"
                },
            ),
            "cjk" => Some(if self.kana >= 2.5 * 2.0 || self.kana * 10.0 >= cjk {
                "ja"
            } else {
                "zh"
            }),
            "hangul" => Some("ko"),
            other => Some(other),
        }
    }

    /// The word vote decides when clear; trigram statistics (tens of microseconds) only
    /// break a close vote, among the languages the words point to, or all of ours when they
    /// point nowhere.
    fn latin_language(&self, text: &str) -> Option<&'static str> {
        let mut ranked: Vec<(u32, usize)> = self
            .votes
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0)
            .map(|(i, v)| (*v, i))
            .collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let best = ranked.first().copied();
        let second = ranked.get(1).map_or(0, |r| r.0);
        let voted = best.map(|(_, i)| LANGS[i]);
        if self.letters < 30 || best.is_some_and(|(b, _)| b >= 3 && b >= second * 2) {
            return voted;
        }
        let candidates: Vec<Lang> = match best {
            Some((b, _)) => ranked
                .iter()
                .filter(|(v, _)| v * 2 >= b)
                .filter_map(|(_, i)| whatlang_lang(LANGS[*i]))
                .collect(),
            None => Vec::new(),
        };
        let mut sample = String::with_capacity(MAX_DETECTOR_BYTES + 32);
        for token in text.split_whitespace().filter(|t| !is_noise_token(t)) {
            if sample.len() >= MAX_DETECTOR_BYTES {
                break;
            }
            sample.push_str(token);
            sample.push(' ');
        }
        let detected = if candidates.len() >= 2 {
            Detector::with_allowlist(candidates).detect(&sample)
        } else if candidates.is_empty() {
            detector().detect(&sample)
        } else {
            None
        };
        match detected
            .filter(|i| i.confidence() > 0.2)
            .and_then(|i| iso639_1(i.lang()))
        {
            Some(code) => Some(code),
            None => voted,
        }
    }
}

/// URLs, e-mail addresses and ASCII tokens with digits (phones, prices, model codes) say
/// nothing about the language.
fn is_noise_token(token: &str) -> bool {
    token.contains('@')
        || token.contains("://")
        || token.starts_with("www.")
        || (token.is_ascii() && token.bytes().any(|b| b.is_ascii_digit()))
}

const MAX_DETECTOR_BYTES: usize = 240;

fn whatlang_lang(code: &str) -> Option<Lang> {
    Some(match code {
        "en" => Lang::Eng,
        "es" => Lang::Spa,
        "pt" => Lang::Por,
        "fr" => Lang::Fra,
        "de" => Lang::Deu,
        "it" => Lang::Ita,
        "nl" => Lang::Nld,
        "pl" => Lang::Pol,
        "tr" => Lang::Tur,
        "vi" => Lang::Vie,
        "id" => Lang::Ind,
        "ro" => Lang::Ron,
        _ => return None,
    })
}

fn add_votes(votes: &mut [u32], mask: u32, n: u32) {
    for (i, v) in votes.iter_mut().enumerate() {
        if mask & (1 << i) != 0 {
            *v += n;
        }
    }
}

/// Languages of the vote, in tie-break order (English wins a tie).
const LANGS: [&str; 12] = [
    "en", "es", "pt", "fr", "de", "it", "nl", "pl", "tr", "vi", "id", "ro",
];

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        Detector::with_allowlist(vec![
            Lang::Eng,
            Lang::Spa,
            Lang::Por,
            Lang::Fra,
            Lang::Deu,
            Lang::Ita,
            Lang::Nld,
            Lang::Pol,
            Lang::Tur,
            Lang::Vie,
            Lang::Ind,
            Lang::Ron,
            Lang::Ces,
            Lang::Hun,
            Lang::Swe,
            Lang::Dan,
            Lang::Nob,
            Lang::Fin,
            Lang::Hrv,
            Lang::Slk,
            Lang::Slv,
            Lang::Lit,
            Lang::Lav,
            Lang::Est,
            Lang::Tgl,
        ])
    })
}

fn iso639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Eng => "en",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ita => "it",
        Lang::Nld => "nl",
        Lang::Pol => "pl",
        Lang::Tur => "tr",
        Lang::Vie => "vi",
        Lang::Ind => "id",
        Lang::Ron => "ro",
        Lang::Ces => "cs",
        Lang::Hun => "hu",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "no",
        Lang::Fin => "fi",
        Lang::Hrv => "hr",
        Lang::Slk => "sk",
        Lang::Slv => "sl",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tgl => "tl",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Ara => "ar",
        _ => return None,
    })
}

#[derive(Deserialize, Default)]
struct LanguageFile {
    #[serde(default)]
    stopwords: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    letters: BTreeMap<String, Vec<String>>,
}

struct Lexicon {
    /// Word → bit set of `LANGS` indices.
    stopwords: FastMap<String, u32>,
    letters: FastMap<char, u32>,
}

pub(crate) const LANGUAGE_TOML: &str = include_str!("../data/language.toml");

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let file: LanguageFile = toml::from_str(LANGUAGE_TOML).unwrap_or_default();
        let mut stopwords = FastMap::default();
        let mut letters = FastMap::default();
        for (lang, words) in &file.stopwords {
            let Some(bit) = LANGS.iter().position(|l| l == lang) else {
                continue;
            };
            for w in words {
                *stopwords.entry(w.to_lowercase()).or_insert(0) |= 1 << bit;
            }
        }
        for (lang, chars) in &file.letters {
            let Some(bit) = LANGS.iter().position(|l| l == lang) else {
                continue;
            };
            for c in chars.iter().filter_map(|s| s.chars().next()) {
                *letters.entry(c).or_insert(0) |= 1 << bit;
            }
        }
        Lexicon { stopwords, letters }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_data_parses() {
        let file: Result<LanguageFile, _> = toml::from_str(LANGUAGE_TOML);
        assert!(file.is_ok(), "{:?}", file.err());
    }

    #[test]
    fn empty_and_digits_only_are_unknown() {
        assert_eq!(detect_language(""), None);
        assert_eq!(detect_language("   \n "), None);
        assert_eq!(detect_language("+86 138 0000 0000 500pcs"), None);
        assert_eq!(
            detect_language("https://example.com john@example.com"),
            None
        );
    }

    #[test]
    fn very_short_english_is_english() {
        assert_eq!(detect_language("Hi, price?"), Some("en"));
        assert_eq!(detect_language("price pls"), Some("en"));
        assert_eq!(
            detect_language("Hello, need quotation for BS-FL100"),
            Some("en")
        );
    }

    #[test]
    fn short_latin_languages_are_told_by_words() {
        assert_eq!(detect_language("Hola, precio por favor"), Some("es"));
        assert_eq!(detect_language("Olá, qual o preço?"), Some("pt"));
        assert_eq!(detect_language("Bonjour, votre prix svp"), Some("fr"));
        assert_eq!(
            detect_language("Hallo, bitte Preis für 100 Stück"),
            Some("de")
        );
        assert_eq!(detect_language("Merhaba, fiyat nedir?"), Some("tr"));
        // A short Italian note around an invoice (with the English-looking "in").
        assert_eq!(
            detect_language("Ciao, allegato copia fattura 3390, merce in consegna oggi."),
            Some("it")
        );
    }

    #[test]
    fn scripts_decide_on_their_own() {
        assert_eq!(detect_language("你好，请报价500个投光灯"), Some("zh"));
        assert_eq!(
            detect_language("お世話になっております。見積もりをお願いします。"),
            Some("ja")
        );
        assert_eq!(
            detect_language("안녕하세요. 가격을 알려주세요."),
            Some("ko")
        );
        assert_eq!(detect_language("مرحبا، نحتاج عرض سعر"), Some("ar"));
        assert_eq!(
            detect_language("Здравствуйте, нужна цена на прожекторы"),
            Some("ru")
        );
        assert_eq!(
            detect_language("Доброго дня, потрібна ціна на світильники"),
            Some("uk")
        );
    }

    #[test]
    fn english_body_with_chinese_signature_is_english() {
        let text = "Dear Sir,\nWe are interested in your LED flood lights and would like to get your best price for 500 pcs.\nPlease also send the catalogue.\n\nBest regards\n王小明\n深圳市光明照明有限公司采购部\n广东省深圳市宝安区";
        assert_eq!(detect_language(text), Some("en"));
    }

    #[test]
    fn english_body_with_spanish_signature_is_english() {
        let text = "Hello,\nPlease quote 200 units of the 150W street light, CIF Callao, with the datasheet.\nThanks\n\nJuan Pérez\nGerente de Compras\nIluminaciones Andinas S.A.C.\nLima, Perú";
        assert_eq!(detect_language(text), Some("en"));
    }

    #[test]
    fn longer_latin_texts_use_statistics() {
        assert_eq!(
            detect_language("Prezados, somos uma empresa importadora no Brasil e gostaríamos de receber uma cotação para refletores de LED."),
            Some("pt")
        );
        assert_eq!(
            detect_language("Estimados señores, somos una empresa de iluminación en México y necesitamos cotización de reflectores LED."),
            Some("es")
        );
        assert_eq!(
            detect_language("Sehr geehrte Damen und Herren, wir sind ein Großhändler aus Deutschland und benötigen ein Angebot."),
            Some("de")
        );
        assert_eq!(
            detect_language(
                "Xin chào, chúng tôi là công ty nhập khẩu ở Việt Nam, cần báo giá đèn pha LED."
            ),
            Some("vi")
        );
        assert_eq!(
            detect_language(
                "Dzień dobry, jesteśmy hurtownią z Polski i prosimy o ofertę na naświetlacze LED."
            ),
            Some("pl")
        );
        assert_eq!(
            detect_language("Goedemiddag, wij zijn een groothandel uit Nederland en willen graag een offerte voor LED schijnwerpers."),
            Some("nl")
        );
        assert_eq!(
            detect_language("Halo, kami adalah perusahaan distributor di Indonesia dan membutuhkan penawaran harga lampu sorot LED."),
            Some("id")
        );
        assert_eq!(
            detect_language("Buongiorno, siamo un'azienda italiana e abbiamo bisogno di un preventivo per proiettori LED."),
            Some("it")
        );
    }
}
