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
