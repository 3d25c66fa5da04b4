//! Finding the sender's signature at the end of the new text: after a "-- " delimiter, at a
//! sign-off ("Best regards,", "此致 敬礼") followed by a short name/contact block, at a
//! "Sent from my iPhone" line, or a trailing contact block without a sign-off.

use super::lines::{has_email, is_blank, word_count};
use super::patterns::patterns;

/// Most non-empty lines a signature block may hold.
const MAX_SIGNATURE_LINES: usize = 15;
/// Longest line (in characters) that reads as a line of a signature rather than text.
const SHORT_LINE: usize = 60;
/// How far from the end (in non-empty lines) a signature may start.
const SEARCH_LINES: usize = 20;

/// Index of the first line of the signature in `lines` (which start and end with a
/// non-blank line), if there is one. The first line is never a signature: a one-line
/// "Thanks" is the message itself. `sender` holds the sender's name words and address
/// parts, lower case ([`sender_words`]); empty when the sender is not known.
pub(crate) fn signature_start(lines: &[&str], sender: &[String]) -> Option<usize> {
    if lines.len() < 2 {
        return None;
    }
    let mut nonblank = 0;
    let mut from = 1;
    for (i, l) in lines.iter().enumerate().rev() {
        if !is_blank(l) {
            nonblank += 1;
            if nonblank == SEARCH_LINES {
                from = i.max(1);
                break;
            }
        }
    }
    let forward = (from..lines.len()).find(|&i| starts_signature(lines, i));
    let contact = contact_block_start(lines).or_else(|| name_title_block_start(lines));
    match (forward, contact) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (None, None) => sender_block_start(lines, from, sender),
        (a, b) => a.or(b),
    }
}

/// The words a signature of this sender holds: the words of the display name and the parts
/// of the address before the `@` ("John Doe <john.doe@x.com>" → john, doe), lower case, three
/// letters or more, not a role mailbox ("sales@").
pub fn sender_words(sender: &str) -> Vec<String> {
    let roles = &patterns().role_mailboxes;
    let particles = &patterns().name_particles;
    let mut out: Vec<String> = Vec::new();
    for token in sender.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | ',')) {
        let part = match token.split_once('@') {
            Some((local, _)) => local,
            None => token,
        };
        // Three letters or more: "de", "la", "da", "di" are particles of a name, and words of
        // any message.
        for w in part
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        {
            let w = w.to_lowercase();
            // "sales@…", "Sales Team": a role, not the person who signs.
            if !out.contains(&w) && !roles.contains(&w) && !particles.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

/// Start of a closing block that names the sender, when nothing else marks a signature
/// ("Stavros Xxxxxx / via mobile", "John Smith / Doe Inc / 555-531-7967" sent by Doe): a
/// name-like line whose words are mostly the sender's, with only signature-like lines after
/// it, taken up to the person's name right above it.
fn sender_block_start(lines: &[&str], from: usize, sender: &[String]) -> Option<usize> {
    if sender.is_empty() {
        return None;
    }
    let names_sender = |l: &str| {
        let lower = l.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let theirs = words
            .iter()
            .filter(|w| sender.iter().any(|s| s == *w))
            .count();
        is_name_like(l) && theirs > 0 && theirs * 2 >= words.len()
    };
    let short = |l: &str| {
        let t = l.trim();
        t.chars().count() <= SHORT_LINE && !is_prose(t)
    };
    let signature_like = |l: &&str| {
        let t = l.trim();
        t.is_empty()
            || (short(t)
                && (is_name_like(t)
                    || is_title_like(t)
                    || is_contact_like(t)
                    || is_mobile(t)
                    || word_count(t) <= 3))
    };
    let mut start = (from..lines.len()).find(|&i| {
        let l = lines[i];
        !is_blank(l)
            && short(l)
            && names_sender(l)
            && lines[i + 1..].iter().all(signature_like)
            && count_nonblank(&lines[i + 1..]) < MAX_SIGNATURE_LINES
    })?;
    // "John Smith" above "Doe Inc": the person's name heading the same block (two lines at
    // most); a short sentence of the message above the name is not taken.
    for _ in 0..2 {
        let Some(above) = start
            .checked_sub(1)
            .filter(|&k| k >= from)
            .map(|k| lines[k])
        else {
            break;
        };
        if is_blank(above)
            || !is_name_like(above)
            || !starts_with_person_name(above)
            || !short(above)
            || !matches!(closing(above), Closing::None)
        {
            break;
        }
        start -= 1;
    }
    Some(start)
}

fn starts_signature(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    if is_blank(line) {
        return false;
    }
    if line == "-- " || line == "--\u{a0}" {
        return count_nonblank(&lines[i + 1..]) <= MAX_SIGNATURE_LINES;
    }
    if is_delimiter(line) {
        return count_nonblank(&lines[i + 1..]) >= 1 && tail_ok(&lines[i + 1..]);
    }
    // A long rule of dashes sets off sections too ("Specs\n----------\n500 pcs …"): it starts a
    // signature only above a card — a name, title or contact line first, and two contact lines
    // (mail, web, phone) in it.
    if is_rule(line) {
        let rest = &lines[i + 1..];
        let first = rest.iter().find(|l| !is_blank(l));
        let card = first.is_some_and(|l| is_name_like(l) || is_title_like(l) || is_contact_like(l));
        return card && rest.iter().filter(|l| is_contact_like(l)).count() >= 2 && tail_ok(rest);
    }
    if is_mobile(line) {
        return count_nonblank(&lines[i + 1..]) <= 3 && tail_ok(&lines[i + 1..]);
    }
    // What follows a closing is the signature unless its first line reads as more of the
    // message: long and written in lower case ("Thanks in advance,\nsome long text here which
    // …"), not a long company line ("Ahmed Al-Rashid - Al Noor Building Materials Trading LLC").
    let next = lines[i + 1..].iter().find(|l| !is_blank(l));
    let next_fits = next.is_none_or(|l| {
        let t = l.trim();
        t.chars().count() <= SHORT_LINE
            || is_contact_like(t)
            || is_title_like(t)
            || is_disclaimer(t)
            || !mostly_lower_case(t)
    });
    match closing(line) {
        Closing::SignOff => return next_fits && tail_ok(&lines[i + 1..]),
        Closing::Thanks { comma } => {
            let named = next.is_some_and(|l| is_name_like(l) || is_contact_like(l));
            return (comma || named) && next_fits && tail_ok(&lines[i + 1..]);
        }
        Closing::None => {}
    }
    is_dash_name(lines, i) && tail_ok(&lines[i + 1..])
}

fn count_nonblank(lines: &[&str]) -> usize {
    lines.iter().filter(|l| !is_blank(l)).count()
}

/// Whether the lines after a signature start look like a signature: few, short, no prose.
fn tail_ok(rest: &[&str]) -> bool {
    let mut n = 0;
    for l in rest {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        n += 1;
        if n > MAX_SIGNATURE_LINES {
            return false;
        }
        if is_prose(t) && !is_mobile(t) && !is_contact_like(t) && !is_disclaimer(t) {
            return false;
        }
    }
    true
}

/// A sentence of the message rather than a signature line.
fn is_prose(t: &str) -> bool {
    // "Sales Manager | Brightstar Lighting Co., Ltd." ends with a period but is a title line.
    if t.contains(" | ") || ends_with_company_suffix(t) {
        return t.chars().count() > 110;
    }
    let words = word_count(t);
    let chars = t.chars().count();
    let sentence_end = t.ends_with(['.', '?', '!', '。', '？', '！', ';', '；']);
    t.ends_with(['?', '？'])
        || (words >= 9 && sentence_end)
        || chars > 110
        || (chars > 40 && sentence_end && words >= 6)
        || (cjk_chars(t) >= 20)
}

/// Legal-form abbreviations that end company names with a period.
const COMPANY_SUFFIXES: &[&str] = &[
    "ltd.",
    "co.",
    "inc.",
    "corp.",
    "llc.",
    "s.a.",
    "s.l.",
    "s.r.l.",
    "b.v.",
    "pty.",
    "s.a.s.",
    "ltda.",
    "a.s.",
    "s.p.a.",
    "gmbh.",
    "ag.",
    "plc.",
    "sdn. bhd.",
    "jsc.",
    "l.l.c.",
];

fn ends_with_company_suffix(t: &str) -> bool {
    let lower = t.to_lowercase();
    COMPANY_SUFFIXES.iter().any(|s| {
        lower.ends_with(s)
            && lower[..lower.len() - s.len()]
                .chars()
                .last()
                .is_none_or(|c| c == ' ' || c == ',')
    })
}

fn cjk_chars(t: &str) -> usize {
    t.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

fn is_disclaimer(t: &str) -> bool {
    patterns()
        .disclaimer
        .as_ref()
        .is_some_and(|ac| ac.is_match(t))
}

/// "--", "---", "___…" alone on a line.
fn is_delimiter(line: &str) -> bool {
    let t = line.trim_end();
    (t == "--" || t == "---") || (t.len() >= 2 && t.len() <= 80 && t.bytes().all(|b| b == b'_'))
}

/// Whether most words of `t` that start with a letter start with a small one.
fn mostly_lower_case(t: &str) -> bool {
    let (mut lower, mut letters) = (0, 0);
    for first in t.split_whitespace().filter_map(|w| w.chars().next()) {
        if first.is_alphabetic() {
            letters += 1;
            if first.is_lowercase() {
                lower += 1;
            }
        }
    }
    letters > 0 && lower * 10 >= letters * 6
}

/// A rule of four to eighty dashes alone on a line ("----------------").
fn is_rule(line: &str) -> bool {
    let t = line.trim();
    (4..=80).contains(&t.len()) && t.bytes().all(|b| b == b'-')
}

/// "Sent from my iPhone", "发自我的iPhone", "Get Outlook for Android<https://…>".
pub(crate) fn is_mobile(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.len() > 160 || t.contains(',') {
        return false;
    }
    let without_link = match t.find('<') {
        Some(p) => &t[..p],
        None => t,
    };
    if word_count(without_link) > 16 {
        return false;
    }
    let lower = without_link.trim().to_lowercase();
    let p = patterns();
    p.mobile.iter().any(|m| lower.starts_with(m.as_str()))
        || (word_count(&lower) <= 4 && p.mobile_endings.iter().any(|m| lower.ends_with(m.as_str())))
}

/// A phone-sent footer no sentence starts with ("Sent from my Wiko", "Gesendet von Outlook für
/// Android"): the end of what the sender wrote.
pub(crate) fn is_certain_mobile(line: &str) -> bool {
    let t = line.trim();
    if !is_mobile(t) || word_count(t) > 8 || t.ends_with(['.', '!', '?', '。', '！', '？']) {
        return false;
    }
    let lower = t.to_lowercase();
    let p = patterns();
    p.mobile_certain
        .iter()
        .any(|m| lower.starts_with(m.as_str()))
        || p.mobile_endings.iter().any(|m| lower.ends_with(m.as_str()))
}

enum Closing {
    None,
    SignOff,
    Thanks { comma: bool },
}

/// Whether the line is a closing such as "Best regards," or "Thanks, John".
fn closing(line: &str) -> Closing {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 48 {
        return Closing::None;
    }
    let p = patterns();
    let comma = t.ends_with([',', '，']);
    let core = t
        .trim_end_matches([
            ',', '.', '!', '。', '，', '！', ':', '：', '~', '-', ' ', '、',
        ])
        .trim();
    let lower = core.to_lowercase().replace('\u{307}', "");
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    if p.signoffs.contains(&lower) {
        return Closing::SignOff;
    }
    // "Cheers 🎉", "Best regards :)": a closing with a symbol after it.
    let bare = lower
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim_end();
    if bare != lower && p.signoffs.contains(bare) {
        return Closing::SignOff;
    }
    // "Med venlig hilsen / Kind regards", "此致 / Best regards": one closing in two languages.
    if lower.contains('/')
        && lower
            .split('/')
            .map(str::trim)
            .all(|part| p.signoffs.contains(part))
    {
        return Closing::SignOff;
    }
    if p.thanks.contains(&lower) {
        return Closing::Thanks { comma };
    }
    // "Regards, Roman" / "Thanks, John".
    if let Some(pos) = lower.find([',', '，']) {
        let head = lower[..pos].trim();
        let name = lower[pos..].trim_start_matches([',', '，']).trim();
        if !name.is_empty() && word_count(name) <= 3 && !name.contains(['.', '?']) {
            if p.signoffs.contains(head) {
                return Closing::SignOff;
            }
            if p.thanks.contains(head) {
                return Closing::Thanks { comma: true };
            }
        }
    }
    Closing::None
}

/// Name endings written with a point that ends no sentence ("John E. Doe, Ph.D.", "Robert
/// Miles Jr."): a degree or suffix from a fixed list after a person's name.
fn ends_with_abbreviation(t: &str) -> bool {
    let Some((before, last)) = t.rsplit_once(char::is_whitespace) else {
        return false;
    };
    matches!(
        last.to_lowercase().as_str(),
        "ph.d." | "m.d." | "m.sc." | "b.sc." | "m.a." | "b.a." | "esq." | "jr." | "sr."
    ) && starts_with_person_name(before)
}

/// A person's name or a title: short, no sentence punctuation, no digits.
fn is_name_like(line: &str) -> bool {
    let t = line.trim();
    let chars = t.chars().count();
    chars > 0
        && chars <= 48
        && word_count(t) <= 6
        && (!t.ends_with(['.', '?', '!', ':', '：', '。', '？']) || ends_with_abbreviation(t))
        && !t.contains(['?', ':', '：'])
        && !t.bytes().any(|b| b.is_ascii_digit())
        && t.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '"' || c == '(')
}

fn is_title_like(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() <= 80
        && word_count(t) <= 10
        && !t.ends_with(['?', '？'])
        && patterns().titles.as_ref().is_some_and(|ac| ac.is_match(t))
}

/// Phone, address, web or email details of a signature.
fn is_contact_like(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 120 {
        return false;
    }
    if has_email(t) || t.contains("www.") || t.starts_with("http") {
        return true;
    }
    if starts_with_contact_prefix(t) {
        return true;
    }
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let phoneish = t
        .bytes()
        .filter(|b| b.is_ascii_digit() || b"+-() ./".contains(b))
        .count();
    digits >= 7 && phoneish * 10 >= t.len() * 6
}

fn starts_with_contact_prefix(t: &str) -> bool {
    let key_end = t
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '-' || c == '/' || c == '.'))
        .map_or(t.len(), |(n, _)| n);
    if key_end == 0 {
        return false;
    }
    let key = t[..key_end].trim_end_matches('.').to_lowercase();
    if !patterns().contact_prefixes.contains(&key) {
        return false;
    }
    let rest = t[key_end..].trim_start();
    let single_letter = key.chars().count() == 1;
    match rest.chars().next() {
        Some(':' | '：') => true,
        Some(c) if !single_letter => c == '+' || c.is_ascii_digit() || c == '(',
        _ => false,
    }
}

/// "-Abhishek Kona", "- roman": a dash-prefixed name closing the message.
fn is_dash_name(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    let Some(rest) = line.strip_prefix('-') else {
        return false;
    };
    if rest.starts_with('-') {
        return false;
    }
    let name = rest.trim().trim_end_matches('.');
    let words = word_count(name);
    if words == 0 || words > 3 || name.chars().count() > 40 {
        return false;
    }
    if !name.chars().next().is_some_and(char::is_alphabetic) || name.contains([',', ':', '?']) {
        return false;
    }
    let prev = lines[..i].iter().rev().find(|l| !is_blank(l));
    let next = lines[i + 1..].iter().find(|l| !is_blank(l));
    let bullet = |l: &&str| l.starts_with('-') || l.starts_with('*');
    !prev.is_some_and(bullet) && !next.is_some_and(bullet)
}

/// Start of a closing paragraph that names the sender and their role without a sign-off:
/// "Tom Baker | Import Manager" / "Nordlicht GmbH". The first line must read as a person's
/// name (capitalised words, initials allowed) and some line must carry a title or company.
fn name_title_block_start(lines: &[&str]) -> Option<usize> {
    let s = lines.iter().rposition(|l| is_blank(l))? + 1;
    let block = &lines[s..];
    if block.len() < 2 || block.len() > 4 || s < 2 {
        return None;
    }
    let fits = |l: &&str| !is_prose(l.trim()) && (is_name_like(l) || is_title_like(l));
    let titled = block.iter().any(|l| is_title_like(l));
    (starts_with_person_name(block[0]) && titled && block.iter().all(fits)).then_some(s)
}

/// "Tom Baker", "Tom P. Baker | Buyer", "Tom Baker, Import Manager".
fn starts_with_person_name(line: &str) -> bool {
    let name = line.split(['|', ',']).next().unwrap_or("").trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(char::is_uppercase)
                && (cs.clone().all(char::is_lowercase) || cs.as_str() == ".")
        })
}

/// Start of a trailing block of name/title/contact lines with at least two contact lines.
fn contact_block_start(lines: &[&str]) -> Option<usize> {
    let mut contacts = 0;
    let mut start = None;
    let mut k = lines.len();
    let floor = lines.len().saturating_sub(SEARCH_LINES);
    while k > floor.max(1) {
        k -= 1;
        let l = lines[k];
        if is_blank(l) {
            continue;
        }
        if is_contact_like(l) {
            contacts += 1;
        } else if !(is_name_like(l) || is_title_like(l)) {
            break;
        }
        start = Some(k);
    }
    let s = start?;
    if contacts < 2 || s == 0 {
        return None;
    }
    // The block must stand apart from the message: a blank line or a closing line above it.
    let above = lines[..s].iter().rev().find(|l| !is_blank(l))?;
    let separated = is_blank(lines[s - 1]) || above.trim_end().ends_with([',', '，']);
    separated.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_a_degree_heads_a_contact_block() {
        let lines = [
            "Thanks for your participation, and we wish you the best of luck in the",
            "drawing!",
            "",
            "John E. Doe, Ph.D.",
            "President",
            "Xxx Research",
            "john@example.com",
            "www.example.com",
        ];
        assert_eq!(signature_start(&lines, &[]), Some(3));
        assert!(is_name_like("Robert Miles Jr."));
        assert!(!is_name_like("See you on Monday."));
        assert!(!is_name_like("Thanks a lot."));
        assert!(!is_name_like("Please reply A.S.A.P."));
        assert!(!is_name_like("We ship to the U.S."));
        assert!(!is_name_like("We are ABC Trading Co."));
    }

    #[test]
    fn sender_words_are_the_persons_not_the_mailboxs_role() {
        assert_eq!(
            sender_words("John Doe <john.doe@example.com>"),
            ["john", "doe"]
        );
        assert_eq!(
            sender_words("María de la Cruz del Valle <maria@x.example.mx>"),
            ["maría", "cruz", "valle", "maria"]
        );
        assert_eq!(
            sender_words("\"Sales Team\" <sales@brightled.example.cn>"),
            Vec::<String>::new()
        );
        assert_eq!(
            sender_words("info@gulfbuild.example.ae"),
            Vec::<String>::new()
        );
        assert_eq!(
            sender_words("Ana García <compras@acme.example.mx>"),
            ["ana", "garcía"]
        );
    }
}
