//! `tradescout mail reply|signature` on whole messages, bare bodies and standard input.

mod common;
use common::*;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/inquiries");

#[test]
fn reply_drops_gmail_quoted_history_and_keeps_the_signature_unless_asked() {
    let path = format!("{EXAMPLES}/02-floodlight-quote-reply.eml");
    let with_sig = run(&["mail", "reply", &path]);
    assert!(with_sig.status.success(), "{}", stderr(&with_sig));
    let text = stdout(&with_sig);
    assert!(text.starts_with("Dear Tom,"), "{text}");
    assert!(text.contains("Lily Chen"), "{text}");
    assert!(!text.contains("wrote:"), "{text}");
    assert!(!text.contains("> Hi Lily"), "{text}");
    let without = stdout(&run(&["mail", "reply", "--no-signature", &path]));
    assert!(without.contains("Shall I send a sample?"), "{without}");
    assert!(!without.contains("WhatsApp"), "{without}");
}

#[test]
fn signature_prints_only_the_signature_block() {
    let path = format!("{EXAMPLES}/01-floodlight-inquiry.eml");
    let sig = stdout(&run(&["mail", "signature", &path]));
    assert!(
        sig.contains("Tom Baker") && sig.contains("+44 161 496 0123"),
        "{sig}"
    );
    assert!(!sig.contains("Please quote"), "{sig}");
}

#[test]
fn a_gbk_foxmail_reply_is_decoded_and_its_chinese_quote_block_removed() {
    let path = format!("{EXAMPLES}/05-proforma-foxmail-gbk.eml");
    let text = stdout(&run(&["mail", "reply", "--no-signature", &path]));
    assert!(text.contains("附件是形式发票"), "{text}");
    assert!(!text.contains("原始邮件"), "{text}");
    assert!(!text.contains("IP65 is fine"), "{text}");
}

#[test]
fn a_bare_body_on_standard_input_works_and_no_signature_prints_nothing() {
    let body = "Please send your best price for 40HQ.\n\nOn Tue, 4 Mar 2025 at 09:30, Lily <l@x.cn> wrote:\n> our price\n";
    let out = run_stdin(&["mail", "reply", "-"], body.as_bytes());
    assert!(out.status.success());
    assert_eq!(stdout(&out).trim(), "Please send your best price for 40HQ.");
    let sig = run_stdin(&["mail", "signature"], b"ok, thanks\n");
    assert!(sig.status.success());
    assert_eq!(stdout(&sig), "");
}

#[test]
fn the_sender_named_by_from_or_the_messages_header_marks_a_closing_block_as_signature() {
    let body = "Dear Mr. Wang,\n\nThe L/C will be opened this week, please prepare the goods.\n\nAhmed Al-Rashid\nGulf Build Trading LLC\n+971 4 555 0198\n";
    // Without knowing who wrote it, a name and one phone line prove nothing.
    let plain = run_stdin(&["mail", "signature", "-"], body.as_bytes());
    assert!(plain.status.success());
    assert_eq!(stdout(&plain), "");
    let named = run_stdin(
        &[
            "mail",
            "signature",
            "--from",
            "Ahmed Al-Rashid <ahmed@gulf.example>",
            "-",
        ],
        body.as_bytes(),
    );
    assert!(
        stdout(&named).starts_with("Ahmed Al-Rashid\nGulf Build"),
        "{}",
        stdout(&named)
    );
    let eml = format!(
        "From: Ahmed Al-Rashid <ahmed@gulf.example>\r\nTo: wang@brightled.example\r\nSubject: L/C\r\n\r\n{}",
        body.replace('\n', "\r\n")
    );
    let reply = run_stdin(&["mail", "reply", "--no-signature", "-"], eml.as_bytes());
    let text = stdout(&reply);
    assert!(text.contains("prepare the goods"), "{text}");
    assert!(!text.contains("+971"), "{text}");
}

#[test]
fn a_missing_file_is_bad_input_naming_the_file_in_both_languages() {
    let out = run(&["mail", "reply", "/no/such/message.eml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/no/such/message.eml"));
    let zh = bin()
        .args(["--lang", "zh-CN", "mail", "reply", "/no/such/message.eml"])
        .output();
    let zh = zh.map(|o| stderr(&o)).unwrap_or_default();
    assert!(zh.contains("无法读取"), "{zh}");
}

/// An HTML body is split on its structure: the new text comes out without the quoted part
/// and without leftover tags, from an `.html` file or an `.eml` whose only body is HTML.
#[test]
fn an_html_reply_prints_the_new_text_and_its_signature() {
    let html = "<div dir=\"ltr\">Deposit paid today, please start production.<div><br></div>\
<div>Best regards,<br>Tom Baker<br>Purchasing Manager</div><div class=\"gmail_quote\">\
<div class=\"gmail_attr\">On Mon, Mar 3, 2025 at 10:00 AM Lily &lt;lily@x.cn&gt; wrote:</div>\
<blockquote class=\"gmail_quote\">PI attached.</blockquote></div></div>";
    let out = run_stdin(&["mail", "reply", "--no-signature", "-"], html.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "Deposit paid today, please start production."
    );
    let eml = format!(
        "From: tom@b.com\nSubject: Re: PI\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n{html}\n"
    );
    let sig = run_stdin(&["mail", "signature", "-"], eml.as_bytes());
    assert_eq!(
        stdout(&sig).trim(),
        "Best regards,\nTom Baker\nPurchasing Manager"
    );
    let all = run_stdin(&["mail", "reply", "-"], eml.as_bytes());
    let text = stdout(&all);
    assert!(
        !text.contains('<') && !text.contains("PI attached"),
        "{text}"
    );
}
