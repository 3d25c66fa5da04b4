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
        env.add_filter("ago", ago);
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

/// An ISO timestamp as the page's reader says it: "today", "yesterday", "3 days ago" ("3 天前")
/// within a month, the date itself before that; what is no date stays as it is.
fn ago(state: &State, v: String) -> String {
    let Some(day) = v
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return v;
    };
    let days = (chrono::Utc::now().date_naive() - day).num_days();
    let lang = page_lang(state);
    match days {
        0 => tr(lang, "web.when.today", &[]),
        1 => tr(lang, "web.when.yesterday", &[]),
        2..=30 => tr(lang, "web.when.days", &[("n", &days)]),
        _ => day.format("%Y-%m-%d").to_string(),
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

    #[test]
    fn timestamps_read_as_days_ago_in_the_pages_language() {
        let mut env = minijinja::Environment::new();
        env.add_filter("ago", super::ago);
        let render = |lang: &str, when: String| {
            env.render_str(
                "{{ when|ago }}",
                minijinja::context! { lang => lang, when => when },
            )
            .unwrap_or_else(|e| e.to_string())
        };
        let day = |back: i64| {
            (chrono::Utc::now() - chrono::Duration::days(back))
                .format("%Y-%m-%dT10:00:00Z")
                .to_string()
        };
        assert_eq!(render("zh-CN", day(3)), "3 天前");
        assert_eq!(render("en", day(3)), "3 days ago");
        assert_eq!(render("en", day(1)), "yesterday");
        assert_eq!(render("en", "2020-01-05T08:00:00Z".into()), "2020-01-05");
        assert_eq!(render("en", "not a date".into()), "not a date");
    }
}
