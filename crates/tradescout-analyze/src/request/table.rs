//! Order lines written as a table: a header row naming a description and a quantity column
//! ("Descripción | Und. | Cantidad", "序号 | 标的名称 | 数量 | 计量单位", "Item\tQty\tUnit"),
//! then one row per product — as RFQ forms, tender annexes and tables pasted from a
//! spreadsheet or converted from HTML arrive. The header words are `[table]` in
//! `data/request.toml`.

use super::lexicon::request_data;
use super::quantity::units;
use super::text::{get_lower, parse_number};
use crate::types::Product;

/// One table of order lines: its rows as products and the lines it spans.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub products: Vec<Product>,
    /// First and last line index (0-based, counting '\n') of the header and its rows.
    pub lines: (usize, usize),
    /// The line of each product's row, in the same order.
    pub row_lines: Vec<usize>,
}

/// Most rows read from the tables of one message, most tables from one message.
const MAX_ROWS: usize = 200;
const MAX_TABLES: usize = 8;
/// Most words kept of a description cell ("Avental hospitalar, tipo capote …" → its head).
const MAX_NAME_WORDS: usize = 8;
/// Widest header cell still read as a column title.
const MAX_HEADER_CHARS: usize = 40;

#[derive(Debug, Clone, Copy)]
struct Columns {
    name: usize,
    /// A second variant column (size and colour) when `name` is a variant column.
    variant: Option<usize>,
    /// Whether `name` is a size or colour column, the goods named above the table.
    variants: bool,
    quantity: usize,
    unit: Option<usize>,
    sep: char,
    cells: usize,
}

/// Every order table in `text`, in order: tables with column titles, then item lists whose
/// lines each carry a category and a count with the buyer's own description indented below.
pub(crate) fn tables(text: &str) -> Vec<Table> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = if text.contains(['|', '\t']) || text.contains("  ") {
        titled_tables(&lines)
    } else {
        Vec::new()
    };
    let described = described_items(&lines);
    if !described.is_empty() {
        out.extend(described);
        out.sort_by_key(|t| t.lines.0);
    }
    out
}

/// "1  Vestuario  60 Unidad" followed by "   Polera piqué negra: tela piqué …": the item lists
/// of public-procurement portals, where a numbered line gives a catalogue category and the
/// count, and the indented line under it the goods as the buyer describes them. The
/// description names the product; the category does not.
fn described_items(lines: &[&str]) -> Vec<Table> {
    let mut products = Vec::new();
    let mut row_lines = Vec::new();
    let mut first = None;
    let mut last = 0;
    let mut i = 0;
    while i + 1 < lines.len() && products.len() < MAX_ROWS {
        // The same list copied from the portal's page: the item number on a line of its own,
        // then the category with its count and unit, then the description.
        if let Some((quantity, unit, description)) = numbered_block(lines, i) {
            let name = description
                .map(|d| without_code(d.trim()))
                .map(|d| d.split([':', '：']).next().unwrap_or(d))
                .and_then(name_of)
                .or_else(|| lines.get(i + 1).and_then(|l| name_of(l.trim())));
            if let Some(name) = name {
                products.push(Product {
                    name,
                    quantity: Some(quantity),
                    unit: canonical_unit(unit),
                    ..Default::default()
                });
                row_lines.push(i + 1);
                first.get_or_insert(i);
                last = i + 2;
            }
            i += if description.is_some() { 3 } else { 2 };
            continue;
        }
        let Some((quantity, unit)) = category_line(lines[i]) else {
            i += 1;
            continue;
        };
        let below = lines[i + 1];
        let indented = below.starts_with("  ") || below.starts_with('\t');
        if !indented || below.trim().is_empty() || category_line(below).is_some() {
            i += 1;
            continue;
        }
        let words = without_code(below.trim_start());
        let head = words.split([':', '：']).next().unwrap_or(words);
        if let Some(name) = name_of(head) {
            products.push(Product {
                name,
                quantity: Some(quantity),
                unit: canonical_unit(unit),
                ..Default::default()
            });
            row_lines.push(i);
            first.get_or_insert(i);
            last = i + 1;
        }
        i += 2;
    }
    match first {
        Some(first) => vec![Table {
            products,
            lines: (first, last),
            row_lines,
        }],
        _ => Vec::new(),
    }
}

/// The words of a description without a catalogue code before them ("40-002-520-265-00
/// Pisos clínicos …").
fn without_code(words: &str) -> &str {
    match words.split_once(' ') {
        Some((code, rest))
            if code.bytes().any(|b| b.is_ascii_digit())
                && code
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.')) =>
        {
            rest
        }
        _ => words,
    }
}

/// "1" / "Lápiz pasta 8 Caja" / "LÁPIZ PASTA AZUL PUNTA FINA, …": an item number alone on its
/// line, then a category closed by a whole count and a unit the data knows, then (unless the
/// next item follows at once) the description. Gives the count, the unit word and the
/// description line.
fn numbered_block<'l>(lines: &[&'l str], i: usize) -> Option<(f64, &'l str, Option<&'l str>)> {
    let number = lines.get(i)?.trim();
    if !(1..=3).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (category, _, quantity, unit) = counted_tail(lines.get(i + 1)?.trim())?;
    if letters(category) < 3 || canonical_unit(unit).is_none() {
        return None;
    }
    let description = lines
        .get(i + 2)
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.bytes().all(|b| b.is_ascii_digit()) && !l.starts_with('['));
    Some((quantity, unit, description))
}

/// "1  Ropa impermeable protectora  32 Unidad": an item number, two spaces, a category, two
/// spaces, a whole count and its unit word closing the line.
fn category_line(line: &str) -> Option<(f64, &str)> {
    let t = line.trim_end();
    let rest = t.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=3).contains(&digits) || !rest.get(digits..)?.starts_with("  ") {
        return None;
    }
    let (before, count, quantity, unit) = counted_tail(t)?;
    let category = before.trim().get(digits..)?.trim();
    (t.contains(&format!("  {count} ")) && letters(category) >= 3 && letters(unit) >= 2)
        .then_some((quantity, unit))
}

/// A line closed by a whole count and its unit word ("Lápiz pasta 8 Caja"): what stands
/// before the count, the count as written and as a number, and the unit word.
fn counted_tail(line: &str) -> Option<(&str, &str, f64, &str)> {
    let (before, unit) = line.rsplit_once(' ')?;
    let (before, count) = before.trim_end().rsplit_once(' ')?;
    let quantity = parse_number(count).filter(|q| *q > 0.0 && q.fract() == 0.0)?;
    Some((before, count, quantity, unit))
}

/// How many letters `s` holds.
fn letters(s: &str) -> usize {
    s.chars()
        .filter(|c| tradescout_core::phrases::is_alphabetic(*c))
        .count()
}

/// Tables whose header row names a description and a quantity column.
fn titled_tables(lines: &[&str]) -> Vec<Table> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut total = 0;
    while i < lines.len() && out.len() < MAX_TABLES && total < MAX_ROWS {
        let Some(cols) = header(lines[i]) else {
            i += 1;
            continue;
        };
        // Rows that are sizes or colours need the goods named on the line above the table.
        let goods = if cols.variants {
            match goods_above(&lines[..i]) {
                Some(g) => Some(g),
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            None
        };
        let mut products = Vec::new();
        let mut row_lines = Vec::new();
        let mut last = i;
        let mut j = i + 1;
        while j < lines.len() && total + products.len() < MAX_ROWS {
            let line = lines[j];
            if line.trim().is_empty() {
                // A blank line ends the rows (one may stand between header and rows).
                if !products.is_empty() || j > i + 1 {
                    break;
                }
                j += 1;
                continue;
            }
            if is_rule(line) {
                j += 1;
                continue;
            }
            let joined: String;
            let mut cells = split(line, cols.sep);
            // Columns lined up with spaces: a description with a double space in it gives
            // extra cells, which belong to the description when it comes before the count.
            if cols.sep == SPACES && cells.len() > cols.cells && cols.name < cols.quantity {
                let extra = cells.len() - cols.cells;
                joined = cells
                    .drain(cols.name..=cols.name + extra)
                    .collect::<Vec<_>>()
                    .join(" ");
                cells.insert(cols.name, &joined);
            }
            // Lined-up rows end where the count column holds no number.
            if cols.sep == SPACES
                && !cells
                    .get(cols.quantity)
                    .is_some_and(|q| q.starts_with(|c: char| c.is_ascii_digit()))
            {
                break;
            }
            if cells.len() < cols.cells.min(cols.name.max(cols.quantity) + 1) {
                break;
            }
            if let Some(p) = row(&cells, cols, goods.as_deref()) {
                products.push(p);
                row_lines.push(j);
            }
            last = j;
            j += 1;
        }
        total += products.len();
        if !products.is_empty() {
            out.push(Table {
                products,
                lines: (i, last),
                row_lines,
            });
        }
        i = last.max(i) + 1;
    }
    out
}

/// The separator of columns lined up with runs of two or more spaces (text pasted from a PDF
/// or a spreadsheet).
const SPACES: char = ' ';

/// The cells of a row, outer pipes dropped: "| a | b |" and "a | b" both give [a, b]; with
/// [`SPACES`], runs of two or more spaces part the cells.
fn split(line: &str, sep: char) -> Vec<&str> {
    let line = line.trim();
    if sep == SPACES {
        let mut cells = Vec::new();
        let mut start = 0;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b' ' && bytes.get(i + 1) == Some(&b' ') {
                let mut j = i;
                while j < bytes.len() && bytes[j] == b' ' {
                    j += 1;
                }
                cells.push(line.get(start..i).unwrap_or("").trim());
                start = j;
                i = j;
            } else {
                i += 1;
            }
        }
        cells.push(line.get(start..).unwrap_or("").trim());
        return cells;
    }
    let line = if sep == '|' {
        line.strip_prefix('|')
            .unwrap_or(line)
            .strip_suffix('|')
            .unwrap_or_else(|| line.strip_prefix('|').unwrap_or(line))
    } else {
        line
    };
    line.split(sep).map(str::trim).collect()
}

/// "|---|:--:|", "----+----": a rule between header and rows.
fn is_rule(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| matches!(c, '-' | '|' | ':' | '+' | '=' | ' '))
}

/// The columns a header row names, when it names a description and a quantity.
fn header(line: &str) -> Option<Columns> {
    let sep = if line.contains('|') {
        '|'
    } else if line.contains('\t') {
        '\t'
    } else if line.trim().contains("  ") {
        SPACES
    } else {
        return None;
    };
    let cells = split(line, sep);
    if cells.len() < 2 || cells.iter().any(|c| c.chars().count() > MAX_HEADER_CHARS) {
        return None;
    }
    let words = &request_data().table;
    // The title itself, without a unit or note after it: "Quantity (pcs)", "Кол-во, шт.",
    // "Qty/pcs", "数量(个)".
    let is = |cell: &str, list: &[String]| {
        let cell = cell.to_lowercase();
        let head = cell
            .split(['(', '（', ',', '，', '/', '['])
            .next()
            .unwrap_or("")
            .trim_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c));
        let whole = cell.trim_matches(|c: char| !tradescout_core::phrases::is_alphanumeric(c));
        list.iter().any(|w| w == head || w == whole)
    };
    let quantity = cells.iter().position(|c| is(c, &words.quantity))?;
    let named = cells
        .iter()
        .position(|c| is(c, &words.name))
        .or_else(|| cells.iter().position(|c| is(c, &words.specification)))
        .or_else(|| cells.iter().position(|c| is(c, &words.item)));
    let mut variant_cols = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| is(c, &words.variant));
    let (name, variant, variants) = match named {
        Some(n) => (n, None, false),
        None => {
            let (first, _) = variant_cols.next()?;
            (first, variant_cols.next().map(|(i, _)| i), true)
        }
    };
    let unit = cells.iter().position(|c| is(c, &words.unit));
    if sep == SPACES {
        // Spaces part the cells of many lines that are no table ("Product:  LED panel
        // Qty:  500"): a header of lined-up columns is column titles only, all but one known.
        let known = cells
            .iter()
            .filter(|c| {
                [
                    &words.name,
                    &words.specification,
                    &words.item,
                    &words.variant,
                    &words.quantity,
                    &words.unit,
                    &words.totals,
                    &words.price,
                ]
                .iter()
                .any(|list| is(c, list))
            })
            .count();
        let labels = cells.iter().any(|c| c.ends_with([':', '：']));
        if labels || known + 1 < cells.len() {
            return None;
        }
    }
    (name != quantity).then_some(Columns {
        name,
        variant,
        variants,
        quantity,
        unit,
        sep,
        cells: cells.len(),
    })
}

/// The goods a size or colour table is about: the nearest line above it (a blank line may stand
/// between) when it is a short title ("Attendee Shirts:", "### T-shirts", "Pedido realizado -
/// 270 camisas:" → "camisas"); the words after the last number when it holds one.
fn goods_above(lines: &[&str]) -> Option<String> {
    let line = lines.iter().rev().take(3).find(|l| !l.trim().is_empty())?;
    let line = line
        .trim()
        .trim_start_matches(['#', '*', '-', ' '])
        .trim_end_matches([':', '：', '*', ' ']);
    if line.is_empty() || line.chars().count() > 60 || line.contains(['|', '\t']) {
        return None;
    }
    let after_number = line
        .rfind(|c: char| c.is_ascii_digit())
        .map_or(line, |i| &line[i + 1..]);
    let words: Vec<&str> = after_number
        .split_whitespace()
        .filter(|w| w.chars().any(tradescout_core::phrases::is_alphabetic))
        .collect();
    // A title names the goods in a few words; a sentence ("We would like to order the
    // following:") names none.
    (!words.is_empty() && words.len() <= 4).then(|| words.join(" "))
}

/// One row as a product: the description's head as its name (or the goods above the table
/// and the row's size and colour), the quantity cell's number, the unit cell (or the word after
/// the number) as its unit.
fn row(cells: &[&str], cols: Columns, goods: Option<&str>) -> Option<Product> {
    let name = match goods {
        Some(goods) => {
            let mut name = goods.to_string();
            for i in std::iter::once(cols.name).chain(cols.variant) {
                let v = cells.get(i)?.trim().trim_matches('*');
                if !v.is_empty() {
                    name.push(' ');
                    name.push_str(v);
                }
            }
            // A total row ("**Total** | 400") names no variant.
            let words = &request_data().table;
            let first = cells
                .get(cols.name)?
                .trim()
                .trim_matches('*')
                .to_lowercase();
            if words.totals.contains(&first) {
                return None;
            }
            name
        }
        None => name_of(cells.get(cols.name)?)?,
    };
    // A total row, or the header again after a page break.
    let words = &request_data().table;
    let lower = name.to_lowercase();
    if words.totals.contains(&lower)
        || words.name.contains(&lower)
        || words.specification.contains(&lower)
        || words.item.contains(&lower)
    {
        return None;
    }
    let qty_cell = cells.get(cols.quantity)?.trim();
    let digits_end = qty_cell
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\'')))
        .unwrap_or(qty_cell.len());
    let quantity = parse_number(qty_cell.get(..digits_end)?.trim()).filter(|q| *q > 0.0);
    // The unit column, else the word after the number ("500 kg"); pieces when neither
    // names a unit, unknown when a unit is written that no list knows ("rollo").
    let in_column = cols
        .unit
        .and_then(|u| cells.get(u))
        .map(|u| u.trim())
        .filter(|u| !u.is_empty());
    let after_number = qty_cell.get(digits_end..).unwrap_or("").trim();
    let unit = match in_column.or((!after_number.is_empty()).then_some(after_number)) {
        Some(word) => canonical_unit(word),
        None => Some("pcs".to_string()),
    };
    Some(Product {
        name,
        quantity,
        unit: quantity.and(unit),
        ..Default::default()
    })
}

/// The head of a description cell: up to its first comma or semicolon, a few words.
fn name_of(cell: &str) -> Option<String> {
    // Cut at a comma or semicolon that ends a phrase, not a decimal comma ("1,7 l").
    let cut = [", ", "; ", "，", "；", " (", "（"]
        .iter()
        .filter_map(|s| cell.find(s))
        .min()
        .unwrap_or(cell.len());
    let head = cell
        .get(..cut)
        .unwrap_or(cell)
        .trim_end_matches([',', ';'])
        .trim()
        .trim_matches(|c: char| c == '-' || c == '*' || c == ':');
    let name: Vec<&str> = head.split_whitespace().take(MAX_NAME_WORDS).collect();
    let name = name.join(" ");
    (letters(&name) >= 2).then_some(name)
}

/// A unit cell as the canonical unit: the whole cell, else its first word ("Caixa com 100
/// unidades" is boxes, "UND" pieces).
fn canonical_unit(cell: &str) -> Option<String> {
    let cell = cell.trim().trim_end_matches('.');
    if cell.is_empty() {
        return None;
    }
    let map = units();
    let aliases = &request_data().table.unit_aliases;
    let one = |w: &str| {
        let w = w.trim_end_matches('.');
        get_lower(map, w)
            .or_else(|| aliases.get(&w.to_lowercase()))
            .cloned()
    };
    one(cell).or_else(|| one(cell.split_whitespace().next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(String, Option<f64>, Option<String>)> {
        tables(text)
            .into_iter()
            .flat_map(|t| t.products)
            .map(|p| (p.name, p.quantity, p.unit))
            .collect()
    }

    fn row_of(name: &str, q: f64, unit: &str) -> (String, Option<f64>, Option<String>) {
        (name.to_string(), Some(q), Some(unit.to_string()))
    }

    #[test]
    fn a_portal_item_list_is_named_by_the_description_under_each_category() {
        let text = "Productos o servicios\n1  Ropa impermeable protectora  32 Unidad\n   Parka \
                    desmontable 3 en 1 negra: dos capas, color negro.\n2  Sillas  65 Unidad\n   \
                    40-002-520-265-00 Pisos clínicos c/ ruedas\n3  Arneses o accesorios  5 Bolsa\n   \
                    CLAVO DE TECHO HELICOIDAL\n\nFecha de cierre: 09-03-2026";
        assert_eq!(
            rows(text),
            vec![
                row_of("Parka desmontable 3 en 1 negra", 32.0, "units"),
                row_of("Pisos clínicos c/ ruedas", 65.0, "units"),
                row_of("CLAVO DE TECHO HELICOIDAL", 5.0, "bags"),
            ]
        );
        // A numbered line with a count but nothing indented under it is no such list.
        assert!(rows("1  Parka  32 Unidad\n2  Polera  60 Unidad\n").is_empty());
    }

    #[test]
    fn a_portal_list_copied_from_its_page_numbers_each_item_on_a_line_of_its_own() {
        let text = "Productos o servicios\n1\nLápiz pasta 8 Caja\nLÁPIZ PASTA AZUL PUNTA FINA, BIC O \
                    EQUIV. X CAJA 50 UND\n2\nBloques para mensajes 50 Unidad\nCUADERNO UNIVERSITARIO \
                    100 HOJAS, TAPA DURA\n3\nOficina 2026 y otros 4 años";
        assert_eq!(
            rows(text),
            vec![
                row_of("LÁPIZ PASTA AZUL PUNTA FINA", 8.0, "boxes"),
                row_of("CUADERNO UNIVERSITARIO 100 HOJAS", 50.0, "units")
            ]
        );
    }

    #[test]
    fn columns_lined_up_with_spaces_are_a_table() {
        let text = "Please quote the items below.\n\n\
Product                                   Unit Price    Qty    Total\n\
Lenovo ThinkPad E14 Gen 5                 $780.00       12     $9,360.00\n\
USB-C  Docking Station 100W               $95.00        12     $1,140.00\n\
Wireless Mouse - M185                     $9.50         25     $237.50\n\
\n\
Subtotal                                                       $10,737.50\n";
        assert_eq!(
            rows(text),
            vec![
                row_of("Lenovo ThinkPad E14 Gen 5", 12.0, "pcs"),
                row_of("USB-C Docking Station 100W", 12.0, "pcs"),
                row_of("Wireless Mouse - M185", 25.0, "pcs"),
            ]
        );
        // A form of labels and values is no table; a name in the second column keeps its
        // double space; rows end where the count column holds no number.
        assert!(rows(
            "Product:  LED panel light    Qty:  500 pcs\nSize:  600x600    Color:  white\n"
        )
        .is_empty());
        let text = "No.  Description                  Qty   Unit Price\n\
1    Cable  tie 300 mm black      500   0.02\n\
2    Spiral wrap 12 mm            40    0.35\n\
     Delivery by sea              n/a\n";
        assert_eq!(
            rows(text),
            vec![
                row_of("Cable tie 300 mm black", 500.0, "pcs"),
                row_of("Spiral wrap 12 mm", 40.0, "pcs"),
            ]
        );
        // Prose with a double space after a sentence is no table.
        assert!(
            rows("We need a quote.  Product details follow in the next mail, qty 200.").is_empty()
        );
    }

    #[test]
    fn a_pipe_table_gives_one_line_per_row() {
        let text = "Please quote:\n\nDescription | Unit | Qty\nAngle grinder 115mm, 850W | pcs | \
                    1,000\nCordless drill 20V | sets | 600\n\nThanks";
        assert_eq!(
            rows(text),
            vec![
                row_of("Angle grinder 115mm", 1000.0, "pcs"),
                row_of("Cordless drill 20V", 600.0, "sets")
            ]
        );
    }

    #[test]
    fn a_size_or_colour_table_gives_one_line_per_variant_of_the_goods_above_it() {
        let en = "Team shirts:\n\nSize | Quantity\n---- | ----\nMen M | 40\nWomen S | 12\n**Total** | 52";
        assert_eq!(
            rows(en),
            vec![
                row_of("Team shirts Men M", 40.0, "pcs"),
                row_of("Team shirts Women S", 12.0, "pcs")
            ]
        );
        let pt = "Pedido - 60 camisetas:\n\nquantidade | cor | tamanho\n-- | -- | --\n50 | Preta | G\n10 | Azul | M";
        assert_eq!(
            rows(pt),
            vec![
                row_of("camisetas Preta G", 50.0, "pcs"),
                row_of("camisetas Azul M", 10.0, "pcs")
            ]
        );
        // Nothing above names the goods: the sizes alone are no products.
        assert!(rows("Size | Qty\nM | 40\nL | 20").is_empty());
        assert!(rows("We would like to order the following:\n\nSize | Qty\nM | 40").is_empty());
    }

    #[test]
    fn tables_in_other_languages_and_shapes() {
        let es = "Descripción | Und. | Cantidad\nFierro corrugado de 1/2\" | Und | 120\nAlambre \
                  negro Nº 16 | Kg | 750\nCemento Pórtland tipo I | Bols | 1,100";
        assert_eq!(
            rows(es),
            vec![
                row_of("Fierro corrugado de 1/2\"", 120.0, "units"),
                row_of("Alambre negro Nº 16", 750.0, "kg"),
                row_of("Cemento Pórtland tipo I", 1100.0, "bags")
            ]
        );
        let zh = "序号 | 产品名称 | 规格 | 数量 | 单位\n1 | 不锈钢电热水壶 | 1.7L | 500 | 台\n2 | \
                  手持搅拌机 | 300W | 200 | 台";
        assert_eq!(
            rows(zh),
            vec![
                row_of("不锈钢电热水壶", 500.0, "units"),
                row_of("手持搅拌机", 200.0, "units")
            ]
        );
        let md = "| Item | Description | Quantity |\n|---|---|---|\n| 1 | Bath towel 70x140, \
                  white | 2 000 pcs |\n| 2 | Hand towel 40x60 | 3 000 pcs |";
        assert_eq!(
            rows(md),
            vec![
                row_of("Bath towel 70x140", 2000.0, "pcs"),
                row_of("Hand towel 40x60", 3000.0, "pcs")
            ]
        );
        let pt = "Item | Descrição | Unidade de Medida | Quantidade\n01 | Luva cirúrgica, látex \
                  | Caixa com 100 unidades | 450";
        assert_eq!(rows(pt), vec![row_of("Luva cirúrgica", 450.0, "boxes")]);
        let tabs = "Artikel\tMenge\nWasserkocher 1,7 l\t200\nStandmixer\t150";
        assert_eq!(
            rows(tabs),
            vec![
                row_of("Wasserkocher 1,7 l", 200.0, "pcs"),
                row_of("Standmixer", 150.0, "pcs")
            ]
        );
    }

    #[test]
    fn totals_repeated_headers_and_lines_after_the_table_are_no_rows() {
        let text = "Description | Qty\nKettle | 500\nDescription | Qty\nBlender | 200\nTotal | \
                    700\n\nTel: +49 30 123 | Fax: +49 30 124";
        assert_eq!(
            rows(text),
            vec![
                row_of("Kettle", 500.0, "pcs"),
                row_of("Blender", 200.0, "pcs")
            ]
        );
        let zh = "品名 | 数量\n电热水壶 | 500\n合计 | 500";
        assert_eq!(rows(zh), vec![row_of("电热水壶", 500.0, "pcs")]);
    }

    #[test]
    fn titles_with_a_unit_and_units_in_the_quantity_cell() {
        let text = "Item | Description | Quantity (pcs)\n1 | Bath towel 70x140 | 2,000";
        assert_eq!(rows(text), vec![row_of("Bath towel 70x140", 2000.0, "pcs")]);
        let ru = "Наименование | Кол-во, шт.\nПрожектор 100 Вт | 300";
        assert_eq!(rows(ru), vec![row_of("Прожектор 100 Вт", 300.0, "pcs")]);
        let kg = "Product | Unit | Qty\nCopper wire | | 500 kg\nPVC tape | rollo | 40";
        assert_eq!(
            rows(kg),
            vec![
                row_of("Copper wire", 500.0, "kg"),
                ("PVC tape".to_string(), Some(40.0), None)
            ]
        );
    }

    #[test]
    fn a_specification_column_names_the_goods_when_no_column_is_the_description() {
        let pt = "ITEM | ESPECIFICAÇÃO | UND | QTD\n1 | Cadeira giratória com braços, tecido \
                  preto | UND | 25\n2 | Mesa de escritório 1,20 m, MDF | UND | 10";
        assert_eq!(
            rows(pt),
            vec![
                row_of("Cadeira giratória com braços", 25.0, "units"),
                row_of("Mesa de escritório 1,20 m", 10.0, "units")
            ]
        );
        // A description column still comes first.
        let en = "Product | Specification | Qty\nKettle | 1.7 L, 2200 W | 300";
        assert_eq!(rows(en), vec![row_of("Kettle", 300.0, "pcs")]);
    }

    #[test]
    fn no_header_no_table() {
        assert!(rows("Tel: +49 30 123 | Fax: +49 30 124\nA | B | C").is_empty());
        assert!(rows("Name | Price\nKettle | 12.5").is_empty());
    }
}
