//! Measures beyond watts and IP: capacity, length, fabric weight, battery voltage and charge
//! (`data/knowledge/measures.toml`), read from what a buyer asks and what a catalogue row
//! states, so that the 1.8 L rice cooker asked for ranks above the 10 L one beside it.

use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const MEASURES: &str = include_str!("../data/knowledge/measures.toml");

#[derive(Debug, Deserialize)]
struct File {
    #[serde(default)]
    dimension: Vec<Dimension>,
}

/// One kind of measure and how it is written.
#[derive(Debug, Deserialize)]
pub struct Dimension {
    pub key: String,
    /// The unit values are kept in.
    pub base: String,
    /// Share by which two values may differ and still fit.
    pub tolerance: f64,
    /// Larger values are not this measure.
    #[serde(default)]
    pub max: Option<f64>,
    /// Unit as written (lower case) → factor to `base`.
    #[serde(default)]
    units: BTreeMap<String, f64>,
    /// Spec key holding a bare number → factor to `base`.
    #[serde(default)]
    spec_keys: BTreeMap<String, f64>,
}

/// A value of one dimension, in its base unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Index into [`dimensions`].
    pub dim: usize,
    pub value: f64,
}

impl Measure {
    pub fn dimension(&self) -> Option<&'static Dimension> {
        dimensions().get(self.dim)
    }

    /// "1.8 L", "125 mm".
    pub fn text(&self) -> String {
        let unit = self.dimension().map_or("", |d| d.base.as_str());
        let v = (self.value * 1000.0).round() / 1000.0;
        format!("{v} {unit}")
    }

    /// Whether `other` (same dimension) is within this dimension's tolerance of `self`.
    pub fn fits(&self, other: &Measure) -> bool {
        let tol = self.dimension().map_or(0.1, |d| d.tolerance);
        self.dim == other.dim && (self.value - other.value).abs() <= self.value.abs() * tol
    }
}

/// The dimensions of the shipped data (empty if it cannot be read; a test checks it can).
pub fn dimensions() -> &'static [Dimension] {
    static DIMS: OnceLock<Vec<Dimension>> = OnceLock::new();
    DIMS.get_or_init(|| {
        toml::from_str::<File>(MEASURES)
            .map(|f| f.dimension)
            .unwrap_or_default()
    })
}

/// Units of every dimension, longest first, as (unit, dimension, factor).
fn units() -> &'static [(String, usize, f64)] {
    static UNITS: OnceLock<Vec<(String, usize, f64)>> = OnceLock::new();
    UNITS.get_or_init(|| {
        let mut all: Vec<(String, usize, f64)> = dimensions()
            .iter()
            .enumerate()
            .flat_map(|(i, d)| d.units.iter().map(move |(u, f)| (u.to_lowercase(), i, *f)))
            .collect();
        all.sort_by_key(|(u, _, _)| std::cmp::Reverse(u.chars().count()));
        all
    })
}

/// Longest text read for measures: a catalogue description or a product name, not a book.
const MAX_TEXT: usize = 2_000;
/// The first `max` bytes of `text`, cut back to a character boundary.
pub(crate) fn capped(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// At most this many measures are kept per text.
const MAX_MEASURES: usize = 16;

/// Every measure written in `text` as a number and a unit ("1.8L", "125 mm", "500gsm",
/// "20V", "1,7 л"), in order.
pub fn in_text(text: &str, out: &mut Vec<Measure>) {
    let text = capped(text, MAX_TEXT);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && out.len() < MAX_MEASURES {
        let b = bytes[i];
        // A number starts at a digit not glued to a letter or digit before it ("FL100"), nor
        // the second half of a range ("12-24V") or a side of a size ("70 x 140 cm").
        let glued = text[..i].chars().next_back().is_some_and(|c| {
            (c.is_alphanumeric() && !is_cjk(c)) || matches!(c, '.' | '-' | '~' | '/')
        }) || after_times(&text[..i]);
        if !b.is_ascii_digit() || glued {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b'.' | b',')) {
            i += 1;
        }
        let raw = text[start..i].trim_end_matches(['.', ',']);
        let Some(value) = parse_decimal(raw) else {
            continue;
        };
        let after = text[start + raw.len()..].trim_start_matches([' ', '\u{a0}']);
        // The first side of a size ("70 x 140 cm", "60L x 40W") is no measure of its own.
        if starts_size(after) {
            continue;
        }
        if let Some((dim, factor)) = unit_at(after) {
            let value = value * factor;
            let fits_max = dimensions()
                .get(dim)
                .and_then(|d| d.max)
                .is_none_or(|max| value <= max);
            if fits_max && value > 0.0 {
                out.push(Measure { dim, value });
            }
        }
    }
}

/// A sign that joins the sides of a size.
fn is_times(c: char) -> bool {
    matches!(c, 'x' | 'X' | '×' | '*' | 'х')
}

/// Whether `before` ends with a side of a size and its times sign ("70 x ", "70×").
fn after_times(before: &str) -> bool {
    times_then_digit(before.trim_end_matches([' ', '\u{a0}']).chars().rev())
}

/// Whether `chars` give a times sign, then (after spaces) a digit.
fn times_then_digit(mut chars: impl Iterator<Item = char>) -> bool {
    chars.next().is_some_and(is_times)
        && chars
            .find(|c| *c != ' ' && *c != '\u{a0}')
            .is_some_and(|c| c.is_ascii_digit())
}

/// Whether `after` (what follows a number) goes on to a times sign and another side: the
/// number is a side of a size, with or without a unit letter ("x 140", "L x 40W").
fn starts_size(after: &str) -> bool {
    let rest = after.trim_start_matches(|c: char| c.is_ascii_alphabetic() && c != 'x' && c != 'X');
    times_then_digit(rest.trim_start_matches([' ', '\u{a0}']).chars())
}

/// Chinese and Japanese characters, written straight before a number ("电饭煲1.8L").
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// A size of two or three sides, in millimetres when its unit is known, longest side first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub sides: [f64; 3],
    pub text_unit_mm: bool,
    /// The sides as written, longest first (no unit applied).
    pub raw: [f64; 3],
    /// How many sides were written (2 or 3).
    pub count: usize,
}

impl Size {
    /// Whether every side is within 5% of the other size's: in millimetres when both give a
    /// unit, as written when one does not ("70x140" asked, "70x140 cm" listed).
    pub fn fits(&self, other: &Size) -> bool {
        // Each side of the size with fewer sides matches its own side of the other: a 140x70
        // desk is the 140x70x75 cm one.
        let (few, many) = if self.count <= other.count {
            (self.count, other.count)
        } else {
            (other.count, self.count)
        };
        let close = |a: &[f64; 3], b: &[f64; 3]| {
            let (small, large) = if self.count <= other.count {
                (a, b)
            } else {
                (b, a)
            };
            let mut used = [false; 3];
            small.iter().take(few).all(|x| {
                let hit =
                    large.iter().take(many).enumerate().find(|(j, y)| {
                        !used[*j] && (*x - **y).abs() <= x.abs().max(y.abs()) * 0.05
                    });
                match hit {
                    Some((j, _)) => {
                        used[j] = true;
                        true
                    }
                    None => false,
                }
            })
        };
        if self.text_unit_mm && other.text_unit_mm {
            close(&self.sides, &other.sides)
        } else {
            // A size without a unit may be in the other's unit or in millimetres ("600x600"
            // asked, "60x60 cm" listed).
            close(&self.raw, &other.raw)
                || close(&self.raw, &other.sides)
                || close(&self.sides, &other.raw)
        }
    }

    /// "70 × 140 cm" as it reads back.
    pub fn text(&self) -> String {
        let unit = if self.text_unit_mm { " mm" } else { "" };
        let sides: Vec<String> = if self.text_unit_mm {
            self.sides
        } else {
            self.raw
        }
        .iter()
        .filter(|s| **s > 0.0)
        .map(|s| format!("{}", (s * 10.0).round() / 10.0))
        .collect();
        format!("{}{unit}", sides.join(" × "))
    }
}

/// Every size written in `text` ("70x140cm", "50 x 90 cm", "600×600 mm", "70×140 سم").
pub fn sizes_in(text: &str, out: &mut Vec<Size>) {
    let text = capped(text, MAX_TEXT);
    let mut numbers: Vec<(usize, usize, f64)> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && numbers.len() < 64 {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            if let Some(v) = parse_decimal(text[start..i].trim_end_matches('.')) {
                numbers.push((start, i, v));
            }
        } else {
            i += 1;
        }
    }
    let times = |gap: &str| {
        let g = gap.trim_matches([' ', '\u{a0}']);
        matches!(g, "x" | "X" | "×" | "*" | "х")
    };
    let mut k = 0;
    while k + 1 < numbers.len() && out.len() < MAX_MEASURES {
        let (a, b) = (numbers[k], numbers[k + 1]);
        if !times(&text[a.1..b.0]) {
            k += 1;
            continue;
        }
        let mut sides = vec![a.2, b.2];
        let mut last = b;
        if let Some(c) = numbers.get(k + 2).filter(|c| times(&text[b.1..c.0])) {
            sides.push(c.2);
            last = *c;
        }
        let after = text[last.1..].trim_start_matches([' ', '\u{a0}']);
        let factor = dimensions()
            .iter()
            .position(|d| d.key == "length")
            .and_then(|dim| unit_at(after).filter(|(d, _)| *d == dim).map(|(_, f)| f));
        sides.sort_by(|x, y| y.total_cmp(x));
        let mut arr = [0.0; 3];
        let mut raw = [0.0; 3];
        for ((slot, r), v) in arr.iter_mut().zip(raw.iter_mut()).zip(&sides) {
            *slot = v * factor.unwrap_or(1.0);
            *r = *v;
        }
        out.push(Size {
            sides: arr,
            text_unit_mm: factor.is_some(),
            raw,
            count: sides.len(),
        });
        k += sides.len();
    }
}

/// The unit `rest` starts with, as a whole word: (dimension, factor).
fn unit_at(rest: &str) -> Option<(usize, f64)> {
    let lower: String = rest.chars().take(12).flat_map(char::to_lowercase).collect();
    units().iter().find_map(|(u, dim, f)| {
        let tail = lower.strip_prefix(u.as_str())?;
        // A unit of letters ends its word ("l" is not "large", "مل" is not "ملم"); Chinese
        // units, and units with signs in them, may have text right after them.
        let needs_end = u.chars().all(|c| c.is_alphabetic() && !is_cjk(c));
        let ends = !needs_end || tail.chars().next().is_none_or(|c| !c.is_alphanumeric());
        ends.then_some((*dim, *f))
    })
}

/// "1.8", "1,7", "0,750", "1,000" (thousands), "2.000,5".
fn parse_decimal(raw: &str) -> Option<f64> {
    let commas = raw.matches(',').count();
    let dots = raw.matches('.').count();
    let normal = match (commas, dots) {
        (0, _) => raw.to_string(),
        // "1,7" and "0,750" decimal comma; "1,000" thousands.
        (1, 0) => {
            let (int, frac) = raw.split_once(',')?;
            if frac.len() == 3 && int != "0" {
                raw.replace(',', "")
            } else {
                raw.replace(',', ".")
            }
        }
        // Both signs: the last one is the decimal mark ("2.000,5", "2,000.5").
        (_, _) if commas > 0 && dots > 0 => {
            let last_comma = raw.rfind(',')?;
            let last_dot = raw.rfind('.')?;
            if last_comma > last_dot {
                raw.replace('.', "").replace(',', ".")
            } else {
                raw.replace(',', "")
            }
        }
        _ => raw.replace(',', ""),
    };
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The measures a spec map gives: bare numbers under a key the data names, and numbers with
/// units in any value.
pub fn in_specs(specs: &BTreeMap<String, Value>, out: &mut Vec<Measure>) {
    for (key, value) in specs {
        let key = key.to_lowercase();
        let keyed = dimensions()
            .iter()
            .enumerate()
            .find_map(|(i, d)| d.spec_keys.get(&key).map(|f| (i, *f)));
        match (keyed, value) {
            (Some((dim, factor)), Value::Number(n)) => {
                if let Some(v) = n.as_f64().filter(|v| *v > 0.0) {
                    out.push(Measure {
                        dim,
                        value: v * factor,
                    });
                }
            }
            (Some((dim, factor)), Value::String(s)) => match parse_decimal(s.trim()) {
                Some(v) if v > 0.0 => out.push(Measure {
                    dim,
                    value: v * factor,
                }),
                _ => in_text(s, out),
            },
            (None, Value::String(s)) => in_text(s, out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, f64)> {
        let mut out = Vec::new();
        in_text(text, &mut out);
        out.iter()
            .map(|m| {
                (
                    m.dimension().map(|d| d.key.clone()).unwrap_or_default(),
                    m.value,
                )
            })
            .collect()
    }

    #[test]
    fn the_data_reads() {
        let file: Result<File, _> = toml::from_str(MEASURES);
        let file = file.unwrap_or_else(|e| panic!("data/knowledge/measures.toml: {e}"));
        assert!(file.dimension.len() >= 5);
        assert!(file
            .dimension
            .iter()
            .all(|d| d.tolerance > 0.0 && !d.units.is_empty()));
    }

    #[test]
    fn measures_in_the_ways_they_are_written() {
        assert_eq!(
            read("Rice cooker 1.8L, 700W"),
            vec![("capacity".into(), 1.8)]
        );
        assert_eq!(read("Чайник 1,7 л"), vec![("capacity".into(), 1.7)]);
        assert_eq!(read("电饭煲 5升"), vec![("capacity".into(), 5.0)]);
        assert_eq!(read("500ml bottle"), vec![("capacity".into(), 0.5)]);
        assert_eq!(read("Angle grinder 125 mm"), vec![("length".into(), 125.0)]);
        // A size is no single length.
        assert_eq!(
            read("Bath towel 70x140 cm 500gsm"),
            vec![("grammage".into(), 500.0)]
        );
        assert_eq!(
            read("20V cordless drill, 2.0Ah"),
            vec![("battery".into(), 20.0), ("charge".into(), 2000.0)]
        );
        // Mains voltage is no battery; a code is no measure; a word that starts like a unit
        // is none.
        assert!(read("AC220-240V kettle").is_empty());
        assert!(read("model FL100L").is_empty());
        assert!(read("5 large boxes").is_empty());
        assert!(read("по 12 в коробке").is_empty());
        // Sides of a size, ranges and dimension letters are no measures of their own.
        assert!(read("Bath towel 70 x 140 cm").is_empty());
        assert!(read("Carton 60L x 40W x 30H cm").is_empty());
        assert!(read("LED strip 12-24V, 0-10V dimming").is_empty());
        // A number after a comma is read; an Arabic unit ends its word.
        assert_eq!(read("Electric kettle,1.7L"), vec![("capacity".into(), 1.7)]);
        assert_eq!(read("قرص 125 ملم"), vec![("length".into(), 125.0)]);
        assert_eq!(parse_decimal("2.000,5"), Some(2000.5));
        assert_eq!(parse_decimal("0,750"), Some(0.75));
        assert_eq!(parse_decimal("1,000"), Some(1000.0));
    }

    #[test]
    fn sizes_as_they_are_written() {
        let read = |t: &str| {
            let mut out = Vec::new();
            sizes_in(t, &mut out);
            out
        };
        let towel = read("Bath towel 70x140cm, 600gsm");
        assert_eq!(towel.len(), 1);
        assert_eq!(towel[0].sides, [1400.0, 700.0, 0.0]);
        assert!(towel[0].fits(&read("Hotel bath towel 70 x 140 cm")[0]));
        assert!(!towel[0].fits(&read("Hand towel 50x90 cm")[0]));
        assert!(read("مقاس 70×140 سم")[0].fits(&towel[0]));
        assert_eq!(read("desk 140x70x75 cm")[0].sides, [1400.0, 750.0, 700.0]);
        // Without a unit the sides are compared as written.
        assert!(read("towels 70x140")[0].fits(&towel[0]));
        assert!(!read("towels 50x90")[0].fits(&towel[0]));
        // Containers are no size with a unit.
        let boxes = read("2 x 40HQ");
        assert_eq!(boxes.len(), 1);
        assert!(!boxes[0].text_unit_mm);
        // A size without a unit against one in cm; two sides against three.
        assert!(read("LED panel 600x600")[0].fits(&read("panel 60x60 cm")[0]));
        assert!(read("desk 140x70")[0].fits(&read("desk 140x70x75 cm")[0]));
    }

    #[test]
    fn fit_within_the_tolerance() {
        let cap = |v| Measure { dim: 0, value: v };
        assert!(cap(1.8).fits(&cap(1.8)));
        assert!(cap(1.7).fits(&cap(1.8)));
        assert!(!cap(1.8).fits(&cap(10.0)));
    }

    #[test]
    fn specs_by_key_and_by_text() {
        let mut specs = BTreeMap::new();
        specs.insert("gsm".to_string(), serde_json::json!(450));
        specs.insert("capacity".to_string(), serde_json::json!("1.7L"));
        let mut out = Vec::new();
        in_specs(&specs, &mut out);
        assert_eq!(out.len(), 2);
    }
}
