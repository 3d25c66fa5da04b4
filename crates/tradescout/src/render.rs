//! Analyses as Markdown or plain text for people, in the user's language.

use tradescout_core::analysis::Analysis;
use tradescout_core::{tr, Lang};

/// Markdown: headings, lists, the buyer's words as quotes.
pub fn analysis_markdown(a: &Analysis, lang: Lang) -> String {
    let t = |k: &str| tr(lang, k, &[]);
    let mut out = String::new();
    out.push_str(&format!("## {}\n\n", t("report.title")));
    // A scam's warning comes first, and its stage is no judgement to act on.
    if a.spam.is_spam {
        out.push_str(&format!(
            "**⚠ {}** ({:.0}%)\n",
            t("report.spam"),
            a.spam.score * 100.0
        ));
        for r in &a.spam.reasons {
            out.push_str(&format!("- {r}\n"));
        }
        out.push('\n');
    } else {
        let stage = tr(lang, &format!("stage.{}", a.stage.label), &[]);
        out.push_str(&format!(
            "**{}**: {} ({:.0}%)\n",
            t("report.stage"),
            stage,
            a.stage.confidence * 100.0
        ));
        for e in &a.stage.evidence {
            out.push_str(&format!("> {}\n", e.replace('\n', " ")));
        }
        if a.stage.unsure {
            out.push_str(&format!("*{}*\n", t("report.unsure")));
        }
        out.push('\n');
    }
    if !a.concerns.is_empty() {
        out.push_str(&format!("### {}\n\n", t("report.concerns")));
        for c in &a.concerns {
            let label = tr(lang, &format!("concern.{}", c.label), &[]);
            let quote = c
                .evidence
                .first()
                .map(|e| format!(" — «{}»", e.replace('\n', " ")))
                .unwrap_or_default();
            out.push_str(&format!("- **{label}** ({:.0}%){quote}\n", c.score * 100.0));
        }
        out.push('\n');
    }
    out.push_str(&format!("### {}\n\n", t("report.buyer")));
    let b = &a.buyer;
    for (key, value) in [
        ("report.name", &b.name),
        ("report.title_field", &b.title),
        ("report.company", &b.company),
        ("report.email", &b.email),
        ("report.phone", &b.phone),
        ("report.country", &b.country),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("- {}: {v}\n", t(key)));
        }
    }
    if let Some(l) = &a.language {
        out.push_str(&format!("- {}: {l}\n", t("report.language")));
    }
    out.push('\n');
    let r = &a.request;
    if !r.products.is_empty()
        || r.incoterm.is_some()
        || r.target_price.is_some()
        || r.budget.is_some()
    {
        out.push_str(&format!("### {}\n\n", t("report.request")));
        for p in &r.products {
            let qty = match (p.quantity, &p.unit) {
                (Some(q), Some(u)) => format!(" × {q} {u}"),
                (Some(q), None) => format!(" × {q}"),
                _ => String::new(),
            };
            let specs: Vec<String> = p
                .specs
                .iter()
                .map(|(k, v)| format!("{k}={}", v.to_string().trim_matches('"')))
                .collect();
            let specs = if specs.is_empty() {
                String::new()
            } else {
                format!(" ({})", specs.join(", "))
            };
            out.push_str(&format!(
                "- {}{}{qty}{specs}\n",
                p.name,
                p.model
                    .as_ref()
                    .map(|m| format!(" [{m}]"))
                    .unwrap_or_default()
            ));
        }
        for (key, price) in [
            ("report.target_price", &r.target_price),
            ("report.budget", &r.budget),
        ] {
            if let Some(p) = price {
                out.push_str(&format!(
                    "- {}: {} {}{}\n",
                    t(key),
                    p.amount,
                    p.currency,
                    p.per.as_ref().map(|u| format!("/{u}")).unwrap_or_default()
                ));
            }
        }
        let deadline = r.deadline.as_deref().map(|d| deadline_words(d, lang));
        for (key, value) in [
            ("report.incoterm", r.incoterm.as_deref()),
            ("report.payment", r.payment_terms.as_deref()),
            ("report.deadline", deadline.as_deref()),
        ] {
            if let Some(v) = value {
                out.push_str(&format!("- {}: {v}\n", t(key)));
            }
        }
        if let Some(d) = &r.destination {
            let place = [d.port.clone(), d.country.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            if !place.is_empty() {
                out.push_str(&format!("- {}: {place}\n", t("report.destination")));
            }
        }
        if !r.certifications.is_empty() {
            out.push_str(&format!(
                "- {}: {}\n",
                t("report.certifications"),
                r.certifications.join(", ")
            ));
        }
        out.push('\n');
    }
    if !a.next_actions.is_empty() {
        out.push_str(&format!("### {}\n\n", t("report.next_actions")));
        for (i, n) in a.next_actions.iter().enumerate() {
            out.push_str(&format!("{}. {}\n   *{}*\n", i + 1, n.text, n.why));
        }
        out.push('\n');
    }
    if !a.questions.is_empty() {
        out.push_str(&format!("### {}\n\n", t("report.questions")));
        for q in &a.questions {
            let kind = tr(lang, &format!("spin.{}", q.kind), &[]);
            out.push_str(&format!("- [{kind}] {}\n  *{}*\n", q.text, q.why));
        }
    }
    out
}

/// Plain text: the Markdown without its markup.
pub fn analysis_text(a: &Analysis, lang: Lang) -> String {
    analysis_markdown(a, lang)
        .lines()
        .map(|l| {
            l.trim_start_matches("### ")
                .trim_start_matches("## ")
                .replace("**", "")
                .replace('*', "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A deadline as the reader's language says it: an ISO date or the buyer's own words stay as
/// they are; the spans and "ASAP" the analysis writes in English when the message has no
/// date ("within 10 working days") are said in the interface language.
fn deadline_words(d: &str, lang: Lang) -> String {
    if d == "ASAP" {
        return tr(lang, "report.deadline.asap", &[]);
    }
    let span = d.strip_prefix("within ").and_then(|rest| {
        let (n, unit) = rest.split_once(' ')?;
        let n: u32 = n.parse().ok()?;
        let key = match unit {
            "day" | "days" => "report.deadline.days",
            "working day" | "working days" => "report.deadline.working_days",
            "week" | "weeks" => "report.deadline.weeks",
            "month" | "months" => "report.deadline.months",
            _ => return None,
        };
        Some(tr(lang, key, &[("n", &n)]))
    });
    span.unwrap_or_else(|| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_asap_are_said_in_the_interface_language() {
        assert_eq!(
            deadline_words("within 7 working days", Lang::ZhCn),
            "来信后 7 个工作日内"
        );
        assert_eq!(deadline_words("ASAP", Lang::ZhCn), "尽快");
        assert_eq!(
            deadline_words("within 3 months", Lang::En),
            "within 3 months of the message"
        );
        // Dates and the buyer's own words are left as they are.
        assert_eq!(deadline_words("2027-01-20", Lang::ZhCn), "2027-01-20");
        assert_eq!(
            deadline_words("Ende September", Lang::ZhCn),
            "Ende September"
        );
    }
}
