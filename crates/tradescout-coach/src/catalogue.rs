//! The seller's product catalogue, read from CSV or XLSX (first sheet) as CONTRACTS.md
//! specifies: `sku` and `name` required; known columns; every other column a spec.
//! Bad rows are reported by row number and column and the rest are kept.

use crate::row_index::RowIndex;
use crate::specs::{self, parse_watts, value_text, IpRating, VoltageRange};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Cursor;

/// One product the seller offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CatalogueProduct {
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub price: Option<f64>,
    /// ISO 4217.
    pub currency: Option<String>,
    pub moq: Option<f64>,
    pub lead_time_days: Option<f64>,
    pub certifications: Vec<String>,
    pub description: Option<String>,
    /// Spec name (the header, lower case, spaces as `_`) → normalised value.
    pub specs: BTreeMap<String, Value>,
    /// Keys of the canonical words of name, category and description
    /// ([`crate::relevance::word_keys`]), computed once on import.
    #[serde(skip)]
    pub(crate) words: Vec<u64>,
    /// IP rating, supply voltage and wattage read once on import.
    #[serde(skip)]
    pub(crate) parsed: Option<ParsedSpecs>,
    /// The product concepts of the row (from its words, or its `hs_code` column), computed
    /// once on import.
    #[serde(skip)]
    pub(crate) concepts: Vec<usize>,
    /// Capacity, lengths, fabric weight, battery voltage and charge its name, description
    /// and spec columns state ([`crate::measures`]), read once on import.
    #[serde(skip)]
    pub(crate) measures: Vec<crate::measures::Measure>,
    /// The sizes it states ("70x140 cm"), read once on import.
    #[serde(skip)]
    pub(crate) sizes: Vec<crate::measures::Size>,
    /// The materials its name, description and spec columns name, read once on import.
    #[serde(skip)]
    pub(crate) materials: Vec<usize>,
}

/// Spec values matching compares, parsed once.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct ParsedSpecs {
    ip: Option<IpRating>,
    voltage: Option<VoltageRange>,
    watts: Option<f64>,
    /// The IEC letter of the row's plug ([`CatalogueProduct::plug`]).
    plug: Option<char>,
}

impl CatalogueProduct {
    /// The IP rating, if the catalogue gives a readable one.
    pub fn ip_rating(&self) -> Option<IpRating> {
        self.parsed_specs().ip
    }

    /// The supply voltage range, if the catalogue gives a readable one.
    pub fn voltage(&self) -> Option<VoltageRange> {
        self.parsed_specs().voltage
    }

    /// The wattage, if the catalogue gives a readable one.
    pub fn watts(&self) -> Option<f64> {
        self.parsed_specs().watts
    }

    /// The IEC type letter of the row's plug ("F" for "EU plug"), read once on import.
    pub fn plug_kind(&self) -> Option<String> {
        self.parsed_specs().plug.map(String::from)
    }

    /// The plug as the catalogue writes it: its `plug` column, else a plug its name or
    /// description names ("Electric kettle 1.7L EU plug", "电水壶 英规插头").
    pub fn plug(&self) -> Option<String> {
        if let Some(v) = self.specs.get("plug") {
            return Some(value_text(v));
        }
        [Some(&self.name), self.description.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|t| named_plug(t))
    }

    fn parsed_specs(&self) -> ParsedSpecs {
        self.parsed.unwrap_or_else(|| self.parse_specs())
    }

    /// The measures of the row: its spec columns first, then its name and description.
    pub(crate) fn read_measures(&self) -> Vec<crate::measures::Measure> {
        let mut out = Vec::new();
        crate::measures::in_specs(&self.specs, &mut out);
        crate::measures::in_text(&self.name, &mut out);
        if let Some(d) = &self.description {
            crate::measures::in_text(d, &mut out);
        }
        out
    }

    /// The sizes of the row: its spec columns, name and description.
    pub(crate) fn read_sizes(&self) -> Vec<crate::measures::Size> {
        let mut out = Vec::new();
        for v in self.specs.values() {
            if let serde_json::Value::String(s) = v {
                crate::measures::sizes_in(s, &mut out);
            }
        }
        crate::measures::sizes_in(&self.name, &mut out);
        if let Some(d) = &self.description {
            crate::measures::sizes_in(d, &mut out);
        }
        out
    }

    /// The materials of the row: its name, description and spec columns.
    pub(crate) fn read_materials(&self) -> Vec<usize> {
        let mut text = self.name.clone();
        if let Some(d) = &self.description {
            text.push_str(" \n ");
            text.push_str(d);
        }
        for v in self.specs.values() {
            if let serde_json::Value::String(s) = v {
                text.push_str(" \n ");
                text.push_str(s);
            }
        }
        crate::materials::in_text(&text)
    }

    fn parse_specs(&self) -> ParsedSpecs {
        let text = |k: &str| self.specs.get(k).map(value_text);
        ParsedSpecs {
            ip: text("ip_rating").and_then(|v| IpRating::parse(&v)),
            voltage: text("voltage").and_then(|v| VoltageRange::parse(&v)),
            watts: text("power_w").and_then(|v| parse_watts(&v)),
            plug: self
                .plug()
                .and_then(|t| crate::flags::plug_type(&t))
                .and_then(|kind| kind.chars().next()),
        }
    }
}

/// A row that could not be read, with where and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    /// Row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's header, or `None` when the row as a whole is bad.
    pub column: Option<String>,
    pub problem: RowProblem,
}

/// What is wrong with a row, so the caller can say it in the user's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum RowProblem {
    /// A required cell (`sku`, `name`) is empty.
    Empty,
    /// A numeric cell (`price`, `moq`, `lead_time_days`) holds this text.
    NotANumber(String),
    /// The row cannot be parsed at all (the CSV reader's reason).
    Unreadable(String),
}

/// A loaded catalogue and the rows left out.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Catalogue {
    pub products: Vec<CatalogueProduct>,
    pub rejected: Vec<RowError>,
    /// Which rows hold each word and concept, built with the rows.
    #[serde(skip)]
    pub(crate) index: RowIndex,
}

/// Why a catalogue file cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("the file has no `{0}` column (headers found: {1})")]
    MissingColumn(&'static str, String),
    #[error("not a readable CSV file: {0}")]
    Csv(String),
    #[error("not a readable XLSX workbook: {0}")]
    Xlsx(String),
    #[error("the file is empty")]
    Empty,
    #[error("the text is in no encoding tried (UTF-8, UTF-16, GB18030/GBK, Big5): save it as XLSX or as \"CSV UTF-8\"")]
    Encoding,
}

impl CatalogueError {
    /// What is wrong, in the reader's language.
    pub fn describe(&self, lang: tradescout_core::Lang) -> String {
        use tradescout_core::tr;
        match self {
            CatalogueError::MissingColumn(column, found) => tr(
                lang,
                "coach.catalog.missing_column",
                &[("column", column), ("found", found)],
            ),
            CatalogueError::Csv(reason) => tr(lang, "coach.catalog.csv", &[("reason", reason)]),
            CatalogueError::Xlsx(reason) => tr(lang, "coach.catalog.xlsx", &[("reason", reason)]),
            CatalogueError::Empty => tr(lang, "coach.catalog.empty", &[]),
            CatalogueError::Encoding => tr(lang, "coach.catalog.encoding", &[]),
        }
    }
}

/// The text of a CSV file as spreadsheets save it: UTF-8 with or without a byte-order mark,
/// UTF-16 (Excel's "Unicode text", with its mark or recognised by its zero bytes), else
/// GB18030 (which reads GBK, what Chinese Excel and WPS write), else Big5.
fn decode_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, CatalogueError> {
    use encoding_rs::{BIG5, GB18030, UTF_16BE, UTF_16LE};
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|_| CatalogueError::Encoding);
    }
    let utf16 = |enc: &'static encoding_rs::Encoding, body: &[u8]| {
        enc.decode_without_bom_handling_and_without_replacement(body)
            .map(|t| std::borrow::Cow::Owned(t.into_owned()))
            .ok_or(CatalogueError::Encoding)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(UTF_16LE, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(UTF_16BE, rest);
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Ok(std::borrow::Cow::Borrowed(t));
    }
    // UTF-16 without a mark: ASCII text has a zero in every other byte.
    let head = &bytes[..bytes.len().min(400)];
    let zeros_odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zeros_even = head.iter().step_by(2).filter(|b| **b == 0).count();
    if zeros_odd * 3 > head.len() / 2 {
        return utf16(UTF_16LE, bytes);
    }
    if zeros_even * 3 > head.len() / 2 {
        return utf16(UTF_16BE, bytes);
    }
    // GBK bytes are rarely valid Big5 and Big5 bytes often decode as GB18030: of the two,
    // the one whose header line names the catalogue's columns is the file's.
    let decoded: Vec<String> = [GB18030, BIG5]
        .into_iter()
        .filter_map(|enc| enc.decode_without_bom_handling_and_without_replacement(bytes))
        .map(|t| t.into_owned())
        .collect();
    let names_columns = |t: &str| {
        let header = t.lines().next().unwrap_or_default();
        header
            .split([',', ';', '\t'])
            .filter(|h| !matches!(column_of(h), Column::Spec(_)))
            .count()
    };
    decoded
        .into_iter()
        .enumerate()
        .max_by_key(|(i, t)| (names_columns(t), std::cmp::Reverse(*i)))
        .map(|(_, t)| std::borrow::Cow::Owned(t))
        .ok_or(CatalogueError::Encoding)
}

/// A column's meaning.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Sku,
    Name,
    Category,
    Price,
    Currency,
    Moq,
    LeadTime,
    Certifications,
    Description,
    Spec(String),
}

impl Catalogue {
    /// Reads a catalogue from file contents: XLSX when it is a zip archive, CSV otherwise.
    pub fn read(bytes: &[u8]) -> Result<Catalogue, CatalogueError> {
        if bytes.starts_with(b"PK\x03\x04") {
            Self::from_xlsx(bytes)
        } else {
            Self::from_csv(bytes)
        }
    }

    /// Reads CSV in the encodings spreadsheets save (see `decode_text`), separated by
    /// commas, semicolons or tabs (whichever the header line has most of).
    pub fn from_csv(bytes: &[u8]) -> Result<Catalogue, CatalogueError> {
        let text = decode_text(bytes)?;
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        let first_line = text.lines().next().unwrap_or_default();
        let count = |c: char| first_line.matches(c).count();
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| (count(char::from(*d)), *d == b','))
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            match record {
                Ok(r) => rows.push(r.iter().map(str::to_string).collect::<Vec<_>>()),
                Err(e) if i == 0 => return Err(CatalogueError::Csv(e.to_string())),
                // Keep the row numbering: a broken row becomes an empty one that is reported.
                Err(e) => rows.push(vec![format!("\u{0}{e}")]),
            }
        }
        Self::from_rows(rows)
    }

    /// Reads the first sheet of an XLSX workbook.
    pub fn from_xlsx(bytes: &[u8]) -> Result<Catalogue, CatalogueError> {
        use calamine::{Data, Reader, Xlsx};
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e: calamine::XlsxError| CatalogueError::Xlsx(e.to_string()))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or(CatalogueError::Empty)?
            .map_err(|e| CatalogueError::Xlsx(e.to_string()))?;
        let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); start_row];
        for row in range.rows() {
            rows.push(
                row.iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                        other => other.to_string(),
                    })
                    .collect(),
            );
        }
        // Leading empty rows above the used range count for the row numbers but not as headers.
        let skip = rows.iter().take_while(|r| r.is_empty()).count();
        let mut catalogue = Self::from_rows(rows.split_off(skip))?;
        for e in &mut catalogue.rejected {
            e.row += skip;
        }
        Ok(catalogue)
    }

    /// A catalogue of products kept elsewhere (the store), made ready for matching.
    pub fn from_products(products: Vec<CatalogueProduct>) -> Catalogue {
        let products: Vec<CatalogueProduct> = products
            .into_iter()
            .map(|mut p| {
                // Stored by an older import, or by hand: fold the marks as an import would.
                p.certifications = crate::marks::canonical_list(&p.certifications);
                p.words = crate::relevance::word_keys(&crate::relevance::product_words(&p));
                p.parsed = Some(p.parse_specs());
                p.concepts = crate::concept_match::product_concepts(&p);
                p.measures = p.read_measures();
                p.sizes = p.read_sizes();
                p.materials = p.read_materials();
                p
            })
            .collect();
        let index = RowIndex::build(&products);
        Catalogue {
            products,
            rejected: Vec::new(),
            index,
        }
    }

    /// The rows whose code, name, category, description or marks hold every word of `query`
    /// at the start of one of theirs (in any case: "fl100" finds FL100-65, "kett" a kettle, "CE"
    /// the mark and not "price"), in catalogue order; every row for a query of no words.
    pub fn search<'c>(&'c self, query: &str) -> impl Iterator<Item = &'c CatalogueProduct> + 'c {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        self.products.iter().filter(move |p| {
            words.is_empty() || {
                let mut text = format!(
                    "{} {} {} {}",
                    p.sku,
                    p.name,
                    p.category.as_deref().unwrap_or(""),
                    p.description.as_deref().unwrap_or("")
                );
                for mark in &p.certifications {
                    text.push(' ');
                    text.push_str(mark);
                }
                let text = text.to_lowercase();
                let theirs: Vec<&str> = text
                    .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '|'))
                    .filter(|t| !t.is_empty())
                    .collect();
                words
                    .iter()
                    .all(|w| theirs.iter().any(|t| t.starts_with(w.as_str())))
            }
        })
    }

    /// The index of the rows: the one built with them, or one built now when the number of rows
    /// changed since. Rows changed in place are not seen: a catalogue is built once from its
    /// rows (`from_csv`, `read`, `from_products`) and its `products` are not to be edited.
    pub(crate) fn row_index(&self) -> Cow<'_, RowIndex> {
        if self.index.rows() == self.products.len() {
            Cow::Borrowed(&self.index)
        } else {
            Cow::Owned(RowIndex::build(&self.products))
        }
    }

    /// Builds the catalogue from rows of cells, the first being the header.
    fn from_rows(rows: Vec<Vec<String>>) -> Result<Catalogue, CatalogueError> {
        let mut rows = rows.into_iter();
        let header = rows.next().ok_or(CatalogueError::Empty)?;
        let columns: Vec<Column> = header.iter().map(|h| column_of(h)).collect();
        for (needed, label) in [(Column::Sku, "sku"), (Column::Name, "name")] {
            if !columns.contains(&needed) {
                return Err(CatalogueError::MissingColumn(label, header.join(", ")));
            }
        }
        let mut catalogue = Catalogue::default();
        for (i, cells) in rows.enumerate() {
            let row = i + 2;
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if let Some(broken) = cells.first().and_then(|c| c.strip_prefix('\u{0}')) {
                catalogue.rejected.push(RowError {
                    row,
                    column: None,
                    problem: RowProblem::Unreadable(broken.to_string()),
                });
                continue;
            }
            match product_of(&columns, &header, &cells, row) {
                Ok(mut p) => {
                    p.words = crate::relevance::word_keys(&crate::relevance::product_words(&p));
                    p.parsed = Some(p.parse_specs());
                    p.concepts = crate::concept_match::product_concepts(&p);
                    p.measures = p.read_measures();
                    p.sizes = p.read_sizes();
                    p.materials = p.read_materials();
                    catalogue.products.push(p)
                }
                Err(e) => catalogue.rejected.push(e),
            }
        }
        catalogue.index = RowIndex::build(&catalogue.products);
        Ok(catalogue)
    }
}

/// Maps a header (any case, English or Chinese) to its column.
fn column_of(header: &str) -> Column {
    let h = header.trim().to_lowercase();
    let key = h.replace([' ', '-'], "_");
    match key.as_str() {
        "sku" | "型号" | "货号" | "型号/sku" | "model" | "item_no" | "型號" | "貨號" => {
            Column::Sku
        }
        "name" | "名称" | "产品名称" | "品名" | "名稱" | "產品名稱" => Column::Name,
        "category" | "类别" | "分类" | "类目" => Column::Category,
        "price" | "价格" | "单价" | "價格" | "單價" => Column::Price,
        "currency" | "币种" | "货币" => Column::Currency,
        "moq" | "起订量" | "最小起订量" => Column::Moq,
        "lead_time_days" | "lead_time" | "交期" | "交货期" => Column::LeadTime,
        "certifications" | "certificates" | "认证" | "证书" => Column::Certifications,
        "description" | "描述" | "产品描述" | "说明" => Column::Description,
        _ => Column::Spec(spec_key(&key)),
    }
}

/// Spec columns commonly headed in Chinese get the English spec names used by requests.
fn spec_key(key: &str) -> String {
    match key {
        "防护等级" | "ip" => "ip_rating".into(),
        "功率" | "power" | "wattage" => "power_w".into(),
        "电压" => "voltage".into(),
        "插头" => "plug".into(),
        "材质" | "材料" => "material".into(),
        "色温" => "cct_k".into(),
        "光通量" => "lumens".into(),
        other => other.into(),
    }
}

fn product_of(
    columns: &[Column],
    header: &[String],
    cells: &[String],
    row: usize,
) -> Result<CatalogueProduct, RowError> {
    let mut p = CatalogueProduct::default();
    let bad = |i: usize, problem: RowProblem| RowError {
        row,
        column: Some(header[i].trim().to_string()),
        problem,
    };
    let number = |i: usize, v: &str| -> Result<Option<f64>, RowError> {
        let cleaned: String = v
            .chars()
            .filter(|c| !matches!(c, ',' | ' ' | '$' | '¥' | '€'))
            .collect();
        match cleaned.parse::<f64>() {
            Ok(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
            _ => Err(bad(i, RowProblem::NotANumber(v.to_string()))),
        }
    };
    for (i, col) in columns.iter().enumerate() {
        let v = cells.get(i).map(|s| s.trim()).unwrap_or("");
        if v.is_empty() {
            continue;
        }
        match col {
            Column::Sku => p.sku = v.to_string(),
            Column::Name => p.name = v.to_string(),
            Column::Category => p.category = Some(v.to_string()),
            Column::Price => p.price = number(i, v)?,
            Column::Currency => p.currency = Some(v.to_ascii_uppercase()),
            Column::Moq => p.moq = number(i, v)?,
            Column::LeadTime => p.lead_time_days = number(i, v)?,
            Column::Certifications => {
                let written: Vec<&str> = v.split([';', '；', '/', '、', ',', '，', '|']).collect();
                p.certifications = crate::marks::canonical_list(&written);
            }
            Column::Description => p.description = Some(v.to_string()),
            Column::Spec(name) => {
                p.specs.insert(name.clone(), specs::normalise(name, v));
            }
        }
    }
    for (needed, field) in [(Column::Sku, &p.sku), (Column::Name, &p.name)] {
        if field.is_empty() {
            let i = columns.iter().position(|c| *c == needed).unwrap_or(0);
            return Err(bad(i, RowProblem::Empty));
        }
    }
    Ok(p)
}

/// "EU plug", "type G plug", "英规插头" in a product's words, as the plug's text.
fn named_plug(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for (i, _) in lower.match_indices("plug") {
        let before = lower[..i].trim_end();
        let word = before
            .rsplit(|c: char| c.is_whitespace() || c == '(' || c == ',' || c == '/')
            .next()
            .unwrap_or("");
        // "USB Type-C plug" is a connector, not a mains plug.
        if word.contains('-') || before.contains("usb") {
            continue;
        }
        // A letter names a plug type only after "type" ("type G plug", not "a plug").
        let candidate = if word.chars().count() == 1 {
            before
                .strip_suffix(word)
                .map(str::trim_end)
                .filter(|b| b.ends_with("type"))
                .map(|_| format!("type {word}"))
        } else {
            Some(word.to_string())
        };
        if let Some(c) = candidate.filter(|c| crate::flags::plug_type(c).is_some()) {
            return Some(format!("{} plug", c.to_uppercase()));
        }
    }
    for (i, _) in text.match_indices("插头") {
        let mark: String = text[..i]
            .chars()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if crate::flags::plug_type(&mark).is_some() {
            return Some(format!("{mark}插头"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_finds_every_word_in_any_field_and_any_case() {
        let c = Catalogue::from_csv(
            "sku,name,category,certifications,description\nFL100-65,LED flood light 100W,lighting,CE;RoHS,Die-cast\nKT17,Electric kettle 1.7L,appliances,GS,Edelstahl\nCH1,Office chair,furniture,,\n"
                .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let skus = |q: &str| c.search(q).map(|p| p.sku.as_str()).collect::<Vec<_>>();
        assert_eq!(skus(""), ["FL100-65", "KT17", "CH1"]);
        assert_eq!(skus("fl100"), ["FL100-65"]);
        assert_eq!(skus("LED  100w"), ["FL100-65"]);
        assert_eq!(skus("gs edelstahl"), ["KT17"]);
        assert_eq!(skus("FURNITURE"), ["CH1"]);
        assert!(skus("flood chair").is_empty());
        // A mark is a word of its own: "ce" is not found inside "price" or "die-cast".
        assert_eq!(skus("ce"), ["FL100-65"]);
        assert_eq!(skus("kett"), ["KT17"]);
    }

    #[test]
    fn a_plug_is_read_from_the_words_of_a_row() {
        assert_eq!(
            named_plug("Electric kettle 1.7L EU plug").as_deref(),
            Some("EU plug")
        );
        assert_eq!(
            named_plug("Kettle, type G plug").as_deref(),
            Some("TYPE G plug")
        );
        assert_eq!(named_plug("电热水壶 英规插头").as_deref(), Some("英规插头"));
        assert_eq!(named_plug("Kettle with a plug and cord"), None);
        assert_eq!(named_plug("Unplugged acoustic set"), None);
        assert_eq!(named_plug("Charging cable USB Type-C plug"), None);
        assert_eq!(named_plug("Type-C plug adapter"), None);
    }

    #[test]
    fn csv_files_as_chinese_excel_wps_and_excel_unicode_save_them_are_read() {
        let text = "型号,名称,单价\nFL100-65,LED投光灯 100W,9.5\nFL50-65,LED投光灯 50W,7.1\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let c = Catalogue::from_csv(&gbk).unwrap_or_else(|e| panic!("GBK: {e}"));
        assert_eq!(c.products.len(), 2);
        assert_eq!(c.products[0].name, "LED投光灯 100W");
        let (big5, _, _) = encoding_rs::BIG5.encode("型號,名稱,單價\nA1,投光燈,3\n");
        assert!(Catalogue::from_csv(&big5).is_ok_and(|c| c.products.len() == 1));
        // Excel's "Unicode text": UTF-16LE with a mark, tab-separated.
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "sku\tname\tprice\r\nA1\tKettle\t9\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let c = Catalogue::from_csv(&utf16).unwrap_or_else(|e| panic!("UTF-16: {e}"));
        assert_eq!(c.products.first().map(|p| p.name.as_str()), Some("Kettle"));
        let semi = Catalogue::from_csv("sku;name;price\nA1;Lamp;2,5\n".as_bytes());
        assert!(semi.is_ok_and(|c| c.products.len() == 1));
    }

    /// English headers, a spec column in mixed case, a `;`-list of certificates, one row
    /// with a price that is not a number (row 3) and one without a SKU (row 4).
    const ENGLISH: &str = "SKU,Name,Category,Price,Currency,MOQ,Lead_Time_Days,Certifications,IP_Rating,Power_W,Voltage,Description
FL-100-65,LED flood light 100W,lighting,9.80,USD,100,15,CE;RoHS;RCM,IP65,100W,AC100-277V,Die-cast aluminium floodlight
FL-100-68,LED flood light 100W,lighting,about ten,USD,100,20,CE,IP68,100,220-240V,Potted
,LED flood light 50W,lighting,6.5,USD,100,15,CE,IP65,50,220-240V,
";

    /// Chinese headers as a Chinese seller's export writes them.
    const CHINESE: &str = "型号,名称,类别,价格,币种,起订量,交期,认证,防护等级,功率,电压,描述
FL-200,LED投光灯 200W,照明,18.5,USD,50,25,CE；RoHS,IP66,200W,220~240V,压铸铝外壳
";

    #[test]
    fn english_headers_are_read_with_specs_normalised_and_bad_rows_named() {
        let c = Catalogue::from_csv(ENGLISH.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.products.len(), 1);
        let p = &c.products[0];
        assert_eq!(p.sku, "FL-100-65");
        assert_eq!(p.price, Some(9.8));
        assert_eq!(p.certifications, ["CE", "RoHS", "RCM"]);
        assert_eq!(p.specs["ip_rating"], "IP65");
        assert_eq!(p.specs["power_w"], 100);
        assert_eq!(p.specs["voltage"], "100-277V");
        assert_eq!(c.rejected.len(), 2);
        assert_eq!(
            (c.rejected[0].row, c.rejected[0].column.as_deref()),
            (3, Some("Price"))
        );
        assert_eq!(
            c.rejected[0].problem,
            RowProblem::NotANumber("about ten".into())
        );
        assert_eq!(
            (c.rejected[1].row, c.rejected[1].column.as_deref()),
            (4, Some("SKU"))
        );
    }

    #[test]
    fn chinese_headers_are_read() {
        let c = Catalogue::from_csv(CHINESE.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let p = &c.products[0];
        assert_eq!(
            (p.sku.as_str(), p.moq, p.lead_time_days),
            ("FL-200", Some(50.0), Some(25.0))
        );
        assert_eq!(p.certifications, ["CE", "RoHS"]);
        assert_eq!(p.specs["ip_rating"], "IP66");
        assert_eq!(p.specs["voltage"], "220-240V");
        assert_eq!(p.description.as_deref(), Some("压铸铝外壳"));
    }

    #[test]
    fn a_file_without_a_name_column_is_refused_naming_the_column() {
        let e = Catalogue::from_csv(b"sku,price\nA,1\n").err();
        assert!(
            matches!(e, Some(CatalogueError::MissingColumn("name", _))),
            "{e:?}"
        );
    }

    #[test]
    fn an_xlsx_first_sheet_with_chinese_headers_is_read() {
        let bytes = xlsx(&[
            &["型号", "名称", "价格", "起订量", "认证", "防护等级"],
            &["FL-50", "LED投光灯 50W", "6.2", "200", "CE;RCM", "IP65"],
            &["FL-X", "", "7", "200", "CE", "IP66"],
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let c = Catalogue::read(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.products.len(), 1);
        assert_eq!(c.products[0].price, Some(6.2));
        assert_eq!(c.products[0].moq, Some(200.0));
        assert_eq!(c.products[0].certifications, ["CE", "RCM"]);
        assert_eq!(
            (c.rejected[0].row, c.rejected[0].column.as_deref()),
            (3, Some("名称"))
        );
    }

    /// A workbook whose first sheet holds `rows` (numbers written as numbers).
    fn xlsx(rows: &[&[&str]]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell.parse::<f64>() {
                    Ok(n) => sheet.write_number(r as u32, c as u16, n)?,
                    Err(_) => sheet.write_string(r as u32, c as u16, *cell)?,
                };
            }
        }
        book.save_to_buffer()
    }
}
