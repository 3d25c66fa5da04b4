//! Trade terms: the Incoterm and the payment terms, normalised.

use super::vocab::{Hit, Tag};
use regex::Regex;
use std::sync::OnceLock;

/// The first Incoterm among `hits`, as its Incoterms 2020 code (`C&F` → `CFR`, `DDU` → `DAP`).
pub(crate) fn incoterm(hits: &[Hit]) -> Option<String> {
    hits.iter().find_map(|h| match h.tag {
        Tag::Incoterm(code) => Some(code.clone()),
        _ => None,
    })
}

struct Payment {
    deposit: Option<Regex>,
    balance: Option<Regex>,
    /// "balance against B/L copy", without a percentage.
    balance_only: Option<Regex>,
}

fn payment() -> &'static Payment {
    static P: OnceLock<Payment> = OnceLock::new();
    P.get_or_init(|| Payment {
        deposit: Regex::new(
            r"(?i)([0-9]{1,3})\s?%\s?(?:t/?t\s?|by\s?t/?t\s?)?(?:as\s|of\s|for\s)?(?:deposit|advance(?:d)?|in advance|down\s?payment|prepayment|prepaid|upfront|anticipo|adelanto|dep[óo]sito|sinal|entrada|acompte|anzahlung|предоплат[аы]|аванс|定金|订金|预付款?|首付)",
        )
        .ok(),
        balance: Regex::new(
            r"(?i)([0-9]{1,3})\s?%\s?(?:t/?t\s?)?(?:the\s)?(?:balance\s?)?(?:to be paid\s|paid\s|payment\s)?(before\s(?:the\s)?(?:shipment|shipping|delivery|loading|dispatch)|against\s(?:the\s)?(?:copy\sof\s(?:the\s)?)?b/?l(?:\scopy)?|after\s(?:receiving\s)?(?:the\s)?(?:copy\sof\s(?:the\s)?)?b/?l(?:\scopy)?|(?:upon|on|after)\s(?:delivery|arrival|receipt)|antes\sd[eo]l?\s(?:embarque|envío|envio)|contra\s(?:copia\sdel?\s)?(?:b/?l|bl)|avant\s(?:l'expédition|expédition|livraison)|vor\s(?:dem\s)?versand|перед\sотгрузкой|发货前|出货前|见提单副本)",
        )
        .ok(),
        balance_only: Regex::new(concat!(r"(?i)balance\s?(?:to be paid\s|paid\s|payment\s|is\s)?", r"(before\s(?:the\s)?(?:shipment|shipping|delivery|loading|dispatch)|against\s(?:the\s)?(?:copy\sof\s(?:the\s)?)?b/?l(?:\scopy)?|after\s(?:receiving\s)?(?:the\s)?(?:copy\sof\s(?:the\s)?)?b/?l(?:\scopy)?|(?:upon|on|after)\s(?:delivery|arrival|receipt)|antes\sd[eo]l?\s(?:embarque|envío|envio)|contra\s(?:copia\sdel?\s)?(?:b/?l|bl)|avant\s(?:l'expédition|expédition|livraison)|vor\s(?:dem\s)?versand|перед\sотгрузкой|发货前|出货前|见提单副本)")).ok(),
    })
}

/// The payment terms in `text`: a deposit split when one is given
/// ("30% T/T deposit, 70% before shipment"), else the methods named ("T/T", "L/C at sight").
pub(crate) fn payment_terms(text: &str, hits: &[Hit]) -> Option<String> {
    let p = payment();
    let mut methods: Vec<String> = Vec::new();
    for (end, name) in hits.iter().filter_map(|h| match h.tag {
        Tag::Payment(name) => Some((h.end, name)),
        _ => None,
    }) {
        if (name == "Trade Assurance" || name == "Escrow") && !payment_context(text, end) {
            continue; // platform boilerplate mentions these in every notification
        }
        let mut name = name.clone();
        if (name == "L/C" || name == "D/P") && followed_by(text, end, "at sight") {
            name.push_str(" at sight");
        }
        if !methods.contains(&name) {
            methods.push(name);
        }
    }
    if let Some(split) = deposit_split(p, text, methods.iter().any(|m| m == "T/T")) {
        return Some(split);
    }
    (!methods.is_empty()).then(|| methods.join(", "))
}

fn deposit_split(p: &Payment, text: &str, tt: bool) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let dep = p.deposit.as_ref()?.captures(text)?;
    let pct: u32 = dep.get(1)?.as_str().parse().ok()?;
    if pct == 0 || pct > 100 {
        return None;
    }
    let method = if tt { "T/T " } else { "" };
    let balance = p
        .balance
        .as_ref()
        .and_then(|re| re.captures(text))
        .and_then(|c| {
            let b: u32 = c.get(1)?.as_str().parse().ok()?;
            Some((b, balance_phrase(c.get(2)?.as_str())))
        })
        .or_else(|| {
            let c = p.balance_only.as_ref()?.captures(text)?;
            Some((100u32.checked_sub(pct)?, balance_phrase(c.get(1)?.as_str())))
        });
    Some(match balance {
        Some((b, phrase)) => format!("{pct}% {method}deposit, {b}% {phrase}"),
        None if pct < 100 => format!("{pct}% {method}deposit, {}% balance", 100 - pct),
        None => format!("{pct}% {method}in advance"),
    })
}

fn balance_phrase(raw: &str) -> &'static str {
    let l = raw.to_lowercase();
    if l.contains("b/l") || l.contains("bl") || l.contains("提单") {
        if l.starts_with("after") {
            "after B/L copy"
        } else {
            "against B/L copy"
        }
    } else if l.contains("delivery") || l.contains("arrival") || l.contains("receipt") {
        "on delivery"
    } else {
        "before shipment"
    }
}

fn followed_by(text: &str, at: usize, words: &str) -> bool {
    let rest = text.get(at..).unwrap_or("").trim_start();
    rest.get(..words.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(words))
}

/// Whether the line around `at` talks about paying or ordering.
fn payment_context(text: &str, at: usize) -> bool {
    let start = text
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(at..)
        .and_then(|s| s.find('\n'))
        .map_or(text.len(), |i| at + i);
    let line = text.get(start..end).unwrap_or("").to_lowercase();
    [
        "pay",
        "payment",
        "pago",
        "pagamento",
        "paiement",
        "zahlung",
        "оплат",
        "付款",
        "支付",
    ]
    .iter()
    .any(|w| line.contains(w))
        && line.len() < 300
}

#[cfg(test)]
mod tests {

    fn incoterm(text: &str) -> Option<String> {
        super::incoterm(&crate::request::vocab::scan(text))
    }

    fn payment_terms(text: &str) -> Option<String> {
        super::payment_terms(text, &crate::request::vocab::scan(text))
    }

    #[test]
    fn incoterms_with_old_spellings() {
        assert_eq!(incoterm("price FOB Ningbo").as_deref(), Some("FOB"));
        assert_eq!(incoterm("C&F Lagos").as_deref(), Some("CFR"));
        assert_eq!(incoterm("cnf price").as_deref(), Some("CFR"));
        assert_eq!(incoterm("DDU Germany").as_deref(), Some("DAP"));
        assert_eq!(incoterm("the best price"), None);
    }

    #[test]
    fn payment_methods_normalised() {
        assert_eq!(payment_terms("payment by TT").as_deref(), Some("T/T"));
        assert_eq!(
            payment_terms("L/C at sight").as_deref(),
            Some("L/C at sight")
        );
        assert_eq!(
            payment_terms("we pay by PayPal or Western Union").as_deref(),
            Some("PayPal, Western Union")
        );
        assert_eq!(payment_terms("付款方式：电汇").as_deref(), Some("T/T"));
    }

    #[test]
    fn deposit_with_a_balance_phrase_but_no_second_percentage() {
        assert_eq!(
            payment_terms("payment 30% advance balance against BL copy").as_deref(),
            Some("30% deposit, 70% against B/L copy")
        );
    }

    #[test]
    fn deposit_splits() {
        assert_eq!(
            payment_terms("30% deposit 70% before shipment").as_deref(),
            Some("30% deposit, 70% before shipment")
        );
        assert_eq!(
            payment_terms("T/T 30% deposit, 70% balance against B/L copy").as_deref(),
            Some("30% T/T deposit, 70% against B/L copy")
        );
        assert_eq!(
            payment_terms("30%定金，70%发货前").as_deref(),
            Some("30% deposit, 70% before shipment")
        );
    }

    #[test]
    fn platform_boilerplate_is_not_a_payment_term() {
        assert_eq!(
            payment_terms("Protect your orders with Trade Assurance. Learn more"),
            None
        );
        assert_eq!(
            payment_terms("Can we pay through Trade Assurance?").as_deref(),
            Some("Trade Assurance")
        );
    }
}
