//! From what a user hands tradescout to analysed threads: thread JSON, JSON Lines, an mbox,
//! one RFC 5322 message (its quoted history split into earlier messages), or plain text from
//! the buyer — detected from the content, never from a file name. Also decides who is the
//! buyer and who the seller in each thread, and runs the full analysis on it.

use serde::Deserialize;
use tradescout_analyze::{InputMessage, Role, ThreadInput};
use tradescout_core::analysis::Analysis;
use tradescout_core::{tr, Lang};
use tradescout_mail::mbox::MboxReader;
use tradescout_mail::parse::{decode_bare_text, looks_like_message};
use tradescout_mail::split::{split_history, split_reply, split_reply_from};
use tradescout_mail::thread::build_threads;
use tradescout_mail::{parse_message, MailError, Message, NotMessage, ParseLimits};

/// What the input was, which decides whether one object or JSON Lines are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    ThreadJson,
    JsonLines,
    Mbox,
    Message,
    PlainText,
}

/// Why an input could not be read. The caller names the input.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the input is empty")]
    Empty,
    #[error("line {line} is not a message or thread JSON object: {reason}")]
    BadJsonLine { line: usize, reason: String },
    #[error(transparent)]
    Mail(#[from] MailError),
    /// Not text: a file format that holds no message (an image, an archive, a PDF…).
    #[error("it is not text but {0}")]
    Binary(BinaryKind),
}

/// What a binary input looks like, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryKind {
    Pdf,
    Archive,
    OfficeDocument,
    Image,
    Media,
    Executable,
    Unknown,
}

impl BinaryKind {
    fn key(self) -> &'static str {
        match self {
            BinaryKind::Pdf => "input.binary.pdf",
            BinaryKind::Archive => "input.binary.archive",
            BinaryKind::OfficeDocument => "input.binary.office",
            BinaryKind::Image => "input.binary.image",
            BinaryKind::Media => "input.binary.media",
            BinaryKind::Executable => "input.binary.executable",
            BinaryKind::Unknown => "input.binary.unknown",
        }
    }
}

impl std::fmt::Display for BinaryKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key().trim_start_matches("input.binary."))
    }
}

/// The kind of binary file `bytes` is, or `None` for text (in any charset, UTF-16 with a
/// byte-order mark included): known file signatures first, then NUL bytes or a high share of
/// control characters in the first 8 KB.
pub fn binary_kind(bytes: &[u8]) -> Option<BinaryKind> {
    const SIGNATURES: &[(&[u8], BinaryKind)] = &[
        (b"%PDF", BinaryKind::Pdf),
        (b"PK\x03\x04", BinaryKind::Archive),
        (b"PK\x05\x06", BinaryKind::Archive),
        (b"Rar!", BinaryKind::Archive),
        (b"7z\xBC\xAF", BinaryKind::Archive),
        (b"\x1F\x8B", BinaryKind::Archive),
        (b"BZh", BinaryKind::Archive),
        (b"\xFD7zXZ", BinaryKind::Archive),
        (b"\xD0\xCF\x11\xE0", BinaryKind::OfficeDocument),
        (b"\x89PNG", BinaryKind::Image),
        (b"\xFF\xD8\xFF", BinaryKind::Image),
        (b"GIF8", BinaryKind::Image),
        (b"RIFF", BinaryKind::Media),
        (b"OggS", BinaryKind::Media),
        (b"ID3", BinaryKind::Media),
        (b"\x7FELF", BinaryKind::Executable),
        (b"MZ", BinaryKind::Executable),
    ];
    if encoding_rs::Encoding::for_bom(bytes).is_some_and(|(e, _)| e != encoding_rs::UTF_8) {
        return None;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let binary_bytes = head.contains(&0)
        || head
            .iter()
            .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B));
    for (sig, kind) in SIGNATURES {
        // "MZ Lighting", "ID3 …" and "BZh…" can open a text: a signature made of letters
        // counts only with binary bytes after it (a PDF always counts).
        let printable = sig.iter().all(|b| b.is_ascii_graphic());
        if bytes.starts_with(sig) && (!printable || binary_bytes || sig.starts_with(b"%PDF")) {
            return Some(*kind);
        }
    }
    if head.contains(&0) {
        return Some(BinaryKind::Unknown);
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
        .count();
    (control * 10 > head.len()).then_some(BinaryKind::Unknown)
}

/// What was read: the threads, and the mbox messages that were skipped (by position).
#[derive(Debug)]
pub struct Intake {
    pub kind: InputKind,
    pub threads: Vec<ThreadInput>,
    pub skipped: Vec<(usize, MailError)>,
}

/// Why an input could not be read, in the user's language.
pub fn reason(lang: Lang, e: &IntakeError) -> String {
    match e {
        IntakeError::Empty => tr(lang, "input.empty", &[]),
        IntakeError::BadJsonLine { line, reason } => tr(
            lang,
            "input.bad_json_line",
            &[("line", line), ("reason", reason)],
        ),
        IntakeError::Mail(e) => mail_reason(lang, e),
        IntakeError::Binary(kind) => tr(lang, kind.key(), &[]),
    }
}

/// A mail reading error, in the user's language.
pub fn mail_reason(lang: Lang, e: &MailError) -> String {
    match e {
        MailError::TooLarge { size, limit } => {
            tr(lang, "mail.too_large", &[("size", size), ("limit", limit)])
        }
        MailError::NotAMessage(kind) => tr(
            lang,
            match kind {
                NotMessage::Empty => "mail.empty",
                NotMessage::NoHeaders => "mail.no_headers",
                NotMessage::Unreadable => "mail.unreadable",
                NotMessage::NotMbox => "mail.not_mbox",
            },
            &[],
        ),
        MailError::Io { path, source } => tr(
            lang,
            "error.read_input",
            &[("input", &path.display()), ("reason", source)],
        ),
        other => other.to_string(),
    }
}

/// Everything the buyer wrote in a thread, where the place of use and the need are read from.
pub fn buyer_text(thread: &ThreadInput) -> String {
    thread
        .messages
        .iter()
        .filter(|m| m.role != Some(Role::Seller))
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The day the buyer last wrote (days since 1970-01-01), from the newest buyer message's date
/// (ISO 8601 or RFC 2822); deadlines are counted from it. `None` when no message is dated.
pub fn asked_on(thread: &ThreadInput) -> Option<i64> {
    let date = thread
        .buyer_messages()
        .rev()
        .find_map(|m| m.date.as_deref())?
        .trim();
    let iso = match chrono::DateTime::parse_from_rfc2822(date) {
        Ok(d) => d.date_naive().to_string(),
        Err(_) => date.to_string(),
    };
    tradescout_coach::days_from_iso(&iso)
}

/// The day deadlines are counted from: the day the buyer last wrote, else today.
pub fn counted_from(thread: &ThreadInput) -> Option<i64> {
    asked_on(thread)
        .or_else(|| tradescout_coach::days_from_iso(&chrono::Utc::now().date_naive().to_string()))
}

/// The analysis with the coach's next actions and questions.
pub fn understand(thread: &ThreadInput, lang: Lang) -> Analysis {
    let mut a = tradescout_analyze::analyze(thread, lang);
    a.next_actions = tradescout_coach::next_actions(&a, lang);
    a.questions = tradescout_coach::questions(&a, lang);
    a
}

/// One message of the thread JSON contract.
#[derive(Debug, Deserialize)]
struct JsonMessage {
    from: Option<String>,
    date: Option<String>,
    subject: Option<String>,
    #[serde(default)]
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum JsonInput {
    Thread { messages: Vec<JsonMessage> },
    Message(JsonMessage),
}

/// Reads the input into threads (one, except for mbox and JSON Lines).
pub fn read_threads(bytes: &[u8], seller_domains: &[String]) -> Result<Intake, IntakeError> {
    let done = |kind, threads| {
        Ok(Intake {
            kind,
            threads,
            skipped: Vec::new(),
        })
    };
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let body = bytes[start..]
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(&bytes[start..]);
    if body.is_empty() {
        return Err(IntakeError::Empty);
    }
    if body.starts_with(b"{") || body.starts_with(b"[") {
        if let Ok(one) = serde_json::from_slice::<JsonInput>(body) {
            return done(InputKind::ThreadJson, vec![from_json(one, seller_domains)]);
        }
    }
    // JSON, or JSON Lines, when the whole input or its first line is JSON, or when it opens
    // the way JSON does (a lone "{" or "[" line, '{"' or '[{'): broken JSON is then reported
    // by line. Text that only opens with a bracket ("[Supplier name] Claim…", "[URGENT]
    // Inquiry") is text.
    let is_json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).is_ok();
    let first_line = body.split(|b| *b == b'\n').next().unwrap_or(body);
    let opens_json = {
        let head = first_line.trim_ascii();
        head == b"{" || head == b"[" || head.starts_with(b"{\"") || head.starts_with(b"[{")
    };
    if (body.starts_with(b"{") || body.starts_with(b"["))
        && (opens_json || is_json(body) || is_json(first_line))
    {
        let mut threads = Vec::new();
        for (i, line) in body.split(|b| *b == b'\n').enumerate() {
            if line.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let parsed = serde_json::from_slice::<JsonInput>(line).map_err(|e| {
                IntakeError::BadJsonLine {
                    line: i + 1,
                    reason: e.to_string(),
                }
            })?;
            threads.push(from_json(parsed, seller_domains));
        }
        return done(InputKind::JsonLines, threads);
    }
    let limits = ParseLimits::for_reading();
    if body.starts_with(b"From ") {
        let mut messages = Vec::new();
        let mut skipped = Vec::new();
        let mut reader = MboxReader::new(body, limits.max_message_bytes);
        while let Some(entry) = reader.next() {
            // A bad message is reported and skipped; the rest of the mbox is still analysed.
            let (position, parsed) = match entry {
                Ok(entry) => (entry.position, parse_message(&entry.raw, &limits)),
                Err(e) => (reader.message_position().max(1), Err(e)),
            };
            match parsed {
                Ok(m) => messages.push(m),
                Err(e) => skipped.push((position, e)),
            }
        }
        let threads = build_threads(&messages)
            .into_iter()
            .map(|t| {
                let ordered: Vec<&Message> = t.messages.iter().map(|i| &messages[*i]).collect();
                thread_from_messages(&ordered, seller_domains)
            })
            .collect();
        return Ok(Intake {
            kind: InputKind::Mbox,
            threads,
            skipped,
        });
    }
    if looks_like_message(body) {
        let m = parse_message(body, &limits)?;
        return done(
            InputKind::Message,
            vec![thread_from_messages(&[&m], seller_domains)],
        );
    }
    if let Some(kind) = binary_kind(body) {
        return Err(IntakeError::Binary(kind));
    }
    let text = decode_bare_text(body);
    let mut thread = thread_from_body(&text, None, None, None, None, Vec::new(), Vec::new());
    if thread.messages.len() == 1 {
        thread.messages[0].role = Some(Role::Buyer);
    }
    assign_roles(&mut thread, seller_domains);
    done(InputKind::PlainText, vec![thread])
}

fn from_json(input: JsonInput, seller_domains: &[String]) -> ThreadInput {
    let messages = match input {
        JsonInput::Thread { messages } => messages,
        JsonInput::Message(m) => vec![m],
    };
    let mut thread = ThreadInput {
        messages: messages
            .into_iter()
            .map(|m| {
                let (role, from) = match m.from.as_deref().map(str::trim) {
                    Some(f) if f.eq_ignore_ascii_case("buyer") => (Some(Role::Buyer), None),
                    Some(f) if f.eq_ignore_ascii_case("seller") => (Some(Role::Seller), None),
                    other => (None, other.map(str::to_string)),
                };
                let reply = split_from(&m.text, from.as_deref());
                InputMessage {
                    role,
                    from,
                    date: m.date,
                    subject: m.subject,
                    signature: reply.signature.clone(),
                    text: reply.text,
                    ..Default::default()
                }
            })
            .collect(),
    };
    if thread.messages.len() == 1
        && thread.messages[0].role.is_none()
        && thread.messages[0].from.is_none()
    {
        thread.messages[0].role = Some(Role::Buyer);
    }
    assign_roles(&mut thread, seller_domains);
    thread
}

/// A thread from parsed messages (oldest first); each message's quoted history is used only
/// for the oldest one, where it carries earlier messages the mailbox does not have.
pub fn thread_from_messages(messages: &[&Message], seller_domains: &[String]) -> ThreadInput {
    let mut thread = ThreadInput::default();
    for (i, m) in messages.iter().enumerate() {
        let sender = effective_sender(m);
        let links = m.links.clone();
        let attachments = m
            .attachments
            .iter()
            .filter_map(|a| a.name.clone())
            .collect();
        let one = thread_from_body(
            &m.text,
            m.html_new_text.as_deref(),
            Some(sender),
            m.date.map(|d| d.to_rfc3339()),
            Some(m.subject.clone()),
            attachments,
            links,
        );
        if i == 0 {
            thread.messages.extend(one.messages);
        } else if let Some(last) = one.messages.into_iter().last() {
            thread.messages.push(last);
        }
    }
    assign_roles(&mut thread, seller_domains);
    thread
}

/// A body split knowing its sender, when known: a closing block that names them is their
/// signature even without a sign-off.
fn split_from(text: &str, from: Option<&str>) -> tradescout_mail::split::Reply {
    match from {
        Some(sender) => split_reply_from(text, sender),
        None => split_reply(text),
    }
}

/// The earlier messages carried in `body` (oldest first), then the message itself. `own`: the
/// message's new part as its HTML marked it, used when the text alone does not show where the
/// quote starts.
fn thread_from_body(
    body: &str,
    own: Option<&str>,
    from: Option<String>,
    date: Option<String>,
    subject: Option<String>,
    attachments: Vec<String>,
    links: Vec<(String, String)>,
) -> ThreadInput {
    let mut messages: Vec<InputMessage> = split_history(body)
        .into_iter()
        .map(|e| {
            let reply = split_from(&e.text, e.from.as_deref());
            InputMessage {
                role: None,
                from: e.from,
                date: e.date_parsed.map(|d| d.to_rfc3339()).or(e.date),
                subject: e.subject,
                signature: reply.signature.clone(),
                text: reply.text,
                ..Default::default()
            }
        })
        .collect();
    let reply = split_from(body, from.as_deref());
    let reply = match own.map(|o| split_from(o, from.as_deref())) {
        Some(marked) if marked.text.trim().len() < reply.text.trim().len() => marked,
        _ => reply,
    };
    messages.push(InputMessage {
        role: None,
        from,
        to: Vec::new(),
        date,
        subject,
        signature: reply.signature.clone(),
        text: reply.text,
        attachments,
        links,
    });
    ThreadInput { messages }
}

/// Website forms send from `noreply@…` with the buyer in Reply-To.
fn effective_sender(m: &Message) -> String {
    let from = m.from.clone().unwrap_or_default();
    let relayed = from
        .email
        .as_deref()
        .map(|e| {
            [
                "noreply",
                "no-reply",
                "donotreply",
                "do-not-reply",
                "website",
                "form",
                "notification",
                "mailer",
            ]
            .iter()
            .any(|w| e.contains(w))
        })
        .unwrap_or(false);
    match (&m.reply_to, relayed) {
        (Some(r), true) if r.email.is_some() => r.display(),
        _ => from.display(),
    }
}

/// Marks who wrote each message that has no role yet. The seller's own domains are the
/// seller. Otherwise each sender is scored on signs of being the (usually Chinese) exporter —
/// a .cn or Chinese free-mail domain, a Chinese name, "our price / our factory / PI attached" —
/// against signs of buying ("please quote", "we need"); the most seller-like sender is the
/// seller when the signs say so, and when they are silent whoever wrote the oldest message is
/// the buyer.
pub fn assign_roles(thread: &mut ThreadInput, seller_domains: &[String]) {
    let key = |from: &Option<String>| from.as_deref().map(sender_key).unwrap_or_default();
    for m in thread.messages.iter_mut().filter(|m| m.role.is_none()) {
        let k = key(&m.from);
        if seller_domains
            .iter()
            .any(|d| !d.is_empty() && k.ends_with(&d.to_ascii_lowercase()))
        {
            m.role = Some(Role::Seller);
        }
    }
    let unknown: Vec<usize> = (0..thread.messages.len())
        .filter(|i| thread.messages[*i].role.is_none())
        .collect();
    if unknown.is_empty() {
        return;
    }
    // Seller-likeness per sender.
    let mut scores: Vec<(String, i32)> = Vec::new();
    for &i in &unknown {
        let m = &thread.messages[i];
        let k = key(&m.from);
        let s = seller_signs(m.from.as_deref().unwrap_or(""), &m.text);
        match scores.iter_mut().find(|(sk, _)| *sk == k) {
            Some(entry) => entry.1 += s,
            None => scores.push((k, s)),
        }
    }
    let known_buyer = thread
        .messages
        .iter()
        .find(|m| m.role == Some(Role::Buyer))
        .map(|m| key(&m.from));
    let known_seller = thread
        .messages
        .iter()
        .find(|m| m.role == Some(Role::Seller))
        .map(|m| key(&m.from));
    let most_seller = scores.iter().max_by_key(|(_, s)| *s).cloned();
    let least_seller = scores.iter().min_by_key(|(_, s)| *s).cloned();
    let seller_key = match (&most_seller, &least_seller) {
        // Two senders: the more seller-like one. One sender alone: the seller only on strong
        // signs, and never when the seller's domains are known and are not theirs (mail to
        // us from outside is from a buyer, or someone posing as one).
        (Some((k, hi)), Some((_, lo)))
            if (scores.len() > 1 && hi > lo)
                || (scores.len() == 1
                    && *hi >= role_cues().lone_sender_min
                    && known_seller.is_none()
                    && seller_domains.iter().all(|d| d.is_empty())) =>
        {
            Some(k.clone())
        }
        _ => None,
    };
    let oldest = key(&thread.messages[unknown[0]].from);
    for &i in &unknown {
        let k = key(&thread.messages[i].from);
        let role = if known_buyer
            .as_ref()
            .is_some_and(|b| !b.is_empty() && (*b == k || same_domain(b, &k)))
        {
            Role::Buyer
        } else if known_seller
            .as_ref()
            .is_some_and(|s| !s.is_empty() && (*s == k || same_domain(s, &k)))
        {
            Role::Seller
        } else if let Some(sk) = &seller_key {
            if *sk == k || (!k.is_empty() && same_domain(sk, &k)) {
                Role::Seller
            } else {
                Role::Buyer
            }
        } else if k == oldest || (!k.is_empty() && same_domain(&oldest, &k)) {
            Role::Buyer
        } else {
            Role::Seller
        };
        thread.messages[i].role = Some(role);
    }
}

/// The cues of `data/roles.toml`.
#[derive(serde::Deserialize)]
struct RoleCues {
    cn_free_mail: Vec<String>,
    shared_free_mail: Vec<String>,
    seller: Vec<String>,
    buyer: Vec<String>,
    lone_sender_min: i32,
}

fn role_cues() -> &'static RoleCues {
    static CUES: std::sync::OnceLock<RoleCues> = std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        // The file ships inside the binary; a test reads it, so it cannot fail at run time.
        toml::from_str(include_str!("../data/roles.toml")).unwrap_or(RoleCues {
            cn_free_mail: Vec::new(),
            shared_free_mail: Vec::new(),
            seller: Vec::new(),
            buyer: Vec::new(),
            lone_sender_min: 3,
        })
    })
}

/// Signs that `from` (with this text) is the exporter rather than the buyer.
fn seller_signs(from: &str, text: &str) -> i32 {
    let cues = role_cues();
    let k = sender_key(from);
    let domain = k
        .rsplit_once('@')
        .map(|(_, d)| d.to_string())
        .unwrap_or_default();
    let mut score = 0;
    if domain.ends_with(".cn") || cues.cn_free_mail.contains(&domain) {
        score += 2;
    }
    if from.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        score += 1;
    }
    let lower: String = text.chars().take(4000).collect::<String>().to_lowercase();
    score += cues
        .seller
        .iter()
        .filter(|p| lower.contains(p.as_str()))
        .count() as i32;
    score -= cues
        .buyer
        .iter()
        .filter(|p| lower.contains(p.as_str()))
        .count() as i32;
    score
}

/// The address of `Name <addr>` (or the lower-cased name when there is no address).
fn sender_key(from: &str) -> String {
    let f = from.trim();
    if let (Some(a), Some(b)) = (f.rfind('<'), f.rfind('>')) {
        if a < b {
            return f[a + 1..b].trim().to_ascii_lowercase();
        }
    }
    f.trim_matches('"').to_lowercase()
}

fn same_domain(a: &str, b: &str) -> bool {
    let free = &role_cues().shared_free_mail;
    match (a.rsplit_once('@'), b.rsplit_once('@')) {
        (Some((_, da)), Some((_, db))) => da == db && !free.iter().any(|f| f == da),
        _ => false,
    }
}

#[cfg(test)]
mod binary_tests {
    use super::*;

    #[test]
    fn binary_files_are_refused_by_kind() {
        let cases: [(&[u8], BinaryKind); 4] = [
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", BinaryKind::Pdf),
            (b"PK\x03\x04\x14\x00\x06\x00", BinaryKind::Archive),
            (b"\x89PNG\r\n\x1a\n\x00\x00", BinaryKind::Image),
            (b"abc\x00\x01\x02def", BinaryKind::Unknown),
        ];
        for (bytes, kind) in cases {
            assert!(
                matches!(read_threads(bytes, &[]), Err(IntakeError::Binary(k)) if k == kind),
                "{kind}"
            );
        }
    }

    #[test]
    fn text_that_opens_with_a_bracket_is_text_and_broken_json_lines_are_named() {
        for text in [
            "[Supplier name]\nClaim for late delivery of 40 pumps under contract 12/2025.",
            "[URGENT] Please quote 500 pcs LED flood light 100W",
            "{Company letterhead}\nDear Sirs, please send your catalogue.",
        ] {
            let intake =
                read_threads(text.as_bytes(), &[]).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(intake.kind, InputKind::PlainText, "{text:?}");
            assert_eq!(intake.threads.len(), 1);
        }
        let lines = "{\"text\": \"Please quote 500 pcs\"}\n{\"text\": broken}\n";
        assert!(matches!(
            read_threads(lines.as_bytes(), &[]),
            Err(IntakeError::BadJsonLine { line: 2, .. })
        ));
        assert!(matches!(
            read_threads(b"[1, 2, 3]", &[]),
            Err(IntakeError::BadJsonLine { line: 1, .. })
        ));
        // Pretty-printed JSON with a slip, and JSON Lines broken on line 1, are named as JSON.
        assert!(matches!(
            read_threads(b"{\n  \"text\": \"Please quote\",\n}\n", &[]),
            Err(IntakeError::BadJsonLine { .. })
        ));
        assert!(matches!(
            read_threads(b"{\"text\": broken}\n{\"text\": \"ok\"}\n", &[]),
            Err(IntakeError::BadJsonLine { line: 1, .. })
        ));
    }

    #[test]
    fn a_closing_block_naming_the_sender_is_kept_as_their_signature() {
        let json = r#"{"from": "Stavros Papadakis <stavros@olympiclight.example.gr>", "text": "Thanks Lily, 600 pcs is fine, please send the PI.\n\nStavros Papadakis\nvia mobile"}"#;
        let intake = read_threads(json.as_bytes(), &[]).unwrap_or_else(|e| panic!("{e}"));
        let m = &intake.threads[0].messages[0];
        assert_eq!(
            m.signature.as_deref(),
            Some("Stavros Papadakis\nvia mobile"),
            "{m:?}"
        );
        // Without a sender nothing says the last lines are a signature.
        let bare = read_threads(
            b"Thanks Lily, 600 pcs is fine, please send the PI.\n\nStavros Papadakis\nvia mobile",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bare.threads[0].messages[0].signature, None);
    }

    #[test]
    fn text_in_any_charset_is_not_binary() {
        assert_eq!(binary_kind(b"MZ Lighting Co., please quote 500 pcs"), None);
        assert_eq!(binary_kind(b"ID3 series: 200 sets"), None);
        assert_eq!(
            binary_kind("Bitte um Angebot für 500 Wasserkocher".as_bytes()),
            None
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("请报价 500 个电热水壶");
        assert_eq!(binary_kind(&gbk), None);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Hello, please quote".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(binary_kind(&utf16), None);
        assert!(read_threads(&utf16, &[]).is_ok());
    }
}

#[cfg(test)]
mod role_tests {
    use super::*;

    fn one(from: &str, text: &str) -> ThreadInput {
        ThreadInput {
            messages: vec![InputMessage {
                from: Some(from.to_string()),
                text: text.to_string(),
                ..InputMessage::default()
            }],
        }
    }

    #[test]
    fn the_role_cues_file_reads() -> Result<(), toml::de::Error> {
        let cues: RoleCues = toml::from_str(include_str!("../data/roles.toml"))?;
        assert!(cues.seller.len() > 10 && cues.buyer.len() > 10 && cues.lone_sender_min > 0);
        Ok(())
    }

    #[test]
    fn a_chinese_buyer_writing_alone_is_the_buyer() {
        // A Chinese trading company sourcing for a client: Chinese name, Chinese mail host.
        let mut t = one(
            "王磊 <wanglei@163.com>",
            "您好，我们客户需要 100W 投光灯 2000 个，请报价，谢谢。",
        );
        assign_roles(&mut t, &[]);
        assert_eq!(t.messages[0].role, Some(Role::Buyer));
    }

    #[test]
    fn mail_to_a_known_seller_from_outside_is_never_the_sellers() {
        let mut t = one(
            "亚洲域名注册中心 审核部 <audit@asia-reg-center.cn>",
            "我司收到一家公司申请注册贵司品牌的域名，我们的价格……",
        );
        assign_roles(&mut t, &["ningbo-brightstar.cn".to_string()]);
        assert_eq!(t.messages[0].role, Some(Role::Buyer));
    }

    #[test]
    fn an_exporters_own_quote_read_alone_is_still_the_sellers() {
        let mut t = one(
            "Lily Chen <lily@brightstar.cn>",
            "Thank you for your inquiry. Please find the quotation attached; our MOQ is 100 pcs.",
        );
        assign_roles(&mut t, &[]);
        assert_eq!(t.messages[0].role, Some(Role::Seller));
    }
}

#[cfg(test)]
mod html_reply_tests {
    use super::*;
    use tradescout_mail::{parse_message, ParseLimits};

    #[test]
    fn an_html_reply_is_cut_where_its_mail_client_marked_the_quote() -> Result<(), String> {
        // No attribution line and no "> " prefixes: only the HTML says where the quote starts.
        let raw = "From: Ana <ana@compras.example>\r\nTo: sales@brightstar.example\r\n\
            Subject: Re: offer\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
            <div dir=\"ltr\">Your price is too high, another supplier offers 8.90.</div>\
            <div class=\"gmail_quote\"><blockquote class=\"gmail_quote\">\
            <p>Dear Ana, our best price is 9.50 per piece for 500 pcs, lead time 25 days.</p>\
            <p>Please find the quotation attached.</p></blockquote></div>\r\n";
        let m = parse_message(raw.as_bytes(), &ParseLimits::for_reading())
            .map_err(|e| e.to_string())?;
        assert!(m.from_html && m.html_new_text.is_some(), "{m:?}");
        let t = thread_from_messages(&[&m], &["brightstar.example".to_string()]);
        let newest = t.messages.last().ok_or("no message")?;
        assert!(newest.text.contains("too high"), "{}", newest.text);
        assert!(
            !newest.text.contains("best price is 9.50"),
            "{}",
            newest.text
        );
        Ok(())
    }
}
