//! Page templates (minijinja, HTML auto-escaping on) and the `t(key, …)` function that puts
//! every word on a page in the viewer's language from the shared message catalogue.

use crate::WebError;
use axum::response::Html;
use minijinja::value::Kwargs;
use minijinja::{Environment, Error, ErrorKind, State, Value};
use tradescout_core::{tr, Lang};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("inbox.html", include_str!("../templates/inbox.html")),
    ("brief.html", include_str!("../templates/brief.html")),
    ("job.html", include_str!("../templates/job.html")),
    (
        "ai_summary.html",
        include_str!("../templates/ai_summary.html"),
    ),
    ("ai_stage.html", include_str!("../templates/ai_stage.html")),
    ("pipeline.html", include_str!("../templates/pipeline.html")),
    ("today.html", include_str!("../templates/today.html")),
    ("insights.html", include_str!("../templates/insights.html")),
    (
        "catalogue.html",
        include_str!("../templates/catalogue.html"),
    ),
    ("settings.html", include_str!("../templates/settings.html")),
];

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn load() -> Result<Templates, WebError> {
        let mut env = Environment::new();
        // Every template is .html, so auto-escaping is on for all of them.
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        env.add_function("t", translate);
        env.add_function("label", label);
        env.add_filter("pct", |v: f64| format!("{:.0}%", v * 100.0));
        // The coach's own Markdown, as escaped HTML (see `markdown`).
        env.add_filter("proposal_html", |v: String| {
            Value::from_safe_string(crate::markdown::proposal_html(&v))
        });
        env.add_filter("proposal_text", |v: String| {
            crate::markdown::proposal_text(&v)
        });
        env.add_filter("money", |v: f64, currency: Option<String>| {
            money(v, currency.as_deref())
        });
        env.add_filter("num", |v: f64| {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", v as i64)
            } else {
                format!("{v:.2}")
            }
        });
        Ok(Templates { env })
    }

    /// Renders `name` with `context`; the context must carry `lang`.
    pub fn render(&self, name: &str, context: Value) -> Result<Html<String>, WebError> {
        Ok(Html(self.env.get_template(name)?.render(context)?))
    }
}

/// `12500.5, "USD"` → "USD 12,500.50": the currency code first (as on a pro-forma), digits
/// grouped by thousands, cents only when there are any.
pub fn money(v: f64, currency: Option<&str>) -> String {
    if !v.is_finite() {
        return String::from("—");
    }
    let cents = (v.abs() * 100.0).round() as u128;
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if v < 0.0 && cents > 0 { "-" } else { "" };
    let amount = if frac == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac:02}")
    };
    match currency.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => format!("{c} {amount}"),
        None => amount,
    }
}

/// The language of the page being rendered (its context's `lang`).
fn page_lang(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|l| l.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_default()
}

/// `label("spec", "ip_rating")`: the name of a value in the page's language when the message
/// catalogue has `prefix.value`; otherwise the value as written (a buyer's own spec name).
fn label(state: &State, prefix: &str, value: &str) -> String {
    let lang = page_lang(state);
    let key = format!("{prefix}.{value}");
    let text = tr(lang, &key, &[]);
    if text == key {
        value.to_string()
    } else {
        text
    }
}

/// `t("key", name=value, …)` in the language of the page being rendered.
fn translate(state: &State, key: &str, args: Kwargs) -> Result<String, Error> {
    let lang = page_lang(state);
    let mut owned: Vec<(String, String)> = Vec::new();
    for name in args.args() {
        let value: Value = args.get(name)?;
        owned.push((name.to_string(), value.to_string()));
    }
    let pairs: Vec<(&str, &dyn std::fmt::Display)> = owned
        .iter()
        .map(|(k, v)| (k.as_str(), v as &dyn std::fmt::Display))
        .collect();
    let text = tr(lang, key, &pairs);
    if text == key {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            format!("no message `{key}`"),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_groups_thousands_and_names_the_currency() {
        assert_eq!(money(12500.5, Some("USD")), "USD 12,500.50");
        assert_eq!(money(1_234_567.0, Some("EUR")), "EUR 1,234,567");
        assert_eq!(money(999.0, None), "999");
        assert_eq!(money(-1000.0, Some(" ")), "-1,000");
        assert_eq!(money(f64::NAN, Some("USD")), "—");
    }
}
