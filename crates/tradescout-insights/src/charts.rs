//! Charts as self-contained SVG (no scripts, no external fonts): the funnel, win rate by
//! source, the decomposition waterfall and the monthly trend, labelled in the user's language.

use crate::deal::Deal;
use crate::figures::Insights;
use chrono::Datelike;
use std::collections::BTreeMap;
use tradescout_core::{tr, Lang, Outcome};

const W: f64 = 640.0;
const BAR_H: f64 = 28.0;
const LEFT: f64 = 170.0;
macro_rules! font_family {
    () => {
        "font-family='Noto Sans CJK SC,PingFang SC,Microsoft YaHei,Arial,sans-serif'"
    };
}
/// The font for labels that set their own size.
const FONT_FAMILY: &str = font_family!();
const FONT: &str = concat!(font_family!(), " font-size='13'");

/// Every chart: (file name, SVG).
pub fn all_charts(i: &Insights, deals: &[Deal], lang: Lang) -> Vec<(&'static str, String)> {
    vec![
        ("funnel.svg", funnel(i, lang)),
        ("win_rate_by_source.svg", win_rate_by_source(i, lang)),
        ("decomposition.svg", waterfall(i, lang)),
        ("monthly_trend.svg", monthly_trend(deals, lang)),
    ]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}

fn frame(title: &str, height: f64, body: &str) -> String {
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{W}' height='{height}' viewBox='0 0 {W} {height}' role='img' aria-label='{t}'>\
         <rect width='100%' height='100%' fill='#fff'/><text x='12' y='22' {FONT} font-weight='bold'>{t}</text>{body}</svg>\n",
        t = esc(title)
    )
}

/// Horizontal bars: (label, value in 0..=max, value text).
fn bars(rows: &[(String, f64, String)], max: f64, colour: &str) -> (String, f64) {
    let mut body = String::new();
    let width = W - LEFT - 90.0;
    for (n, (label, value, text)) in rows.iter().enumerate() {
        let y = 40.0 + n as f64 * (BAR_H + 8.0);
        let w = if max > 0.0 {
            (value / max).clamp(0.0, 1.0) * width
        } else {
            0.0
        };
        body.push_str(&format!(
            "<text x='{x}' y='{ty}' {FONT} text-anchor='end'>{l}</text><rect x='{LEFT}' y='{y}' width='{w:.1}' height='{BAR_H}' fill='{colour}' rx='3'/>\
             <text x='{vx:.1}' y='{ty}' {FONT}>{v}</text>",
            x = LEFT - 8.0,
            ty = y + 19.0,
            l = esc(label),
            vx = LEFT + w + 6.0,
            v = esc(text)
        ));
    }
    (body, 40.0 + rows.len() as f64 * (BAR_H + 8.0) + 10.0)
}

pub fn funnel(i: &Insights, lang: Lang) -> String {
    let max = i.funnel.first().map(|f| f.count as f64).unwrap_or(0.0);
    let rows: Vec<(String, f64, String)> = i
        .funnel
        .iter()
        .map(|f| {
            let conv = f
                .conversion_to_next
                .map(|c| format!(" → {:.0}%", c * 100.0))
                .unwrap_or_default();
            (
                tr(lang, &format!("stage.{}", f.stage), &[]),
                f.count as f64,
                format!("{}{conv}", f.count),
            )
        })
        .collect();
    let (body, h) = bars(&rows, max, "#2f6fb3");
    frame(&tr(lang, "insights.funnel", &[]), h, &body)
}

pub fn win_rate_by_source(i: &Insights, lang: Lang) -> String {
    let rows: Vec<(String, f64, String)> = i
        .by_source
        .iter()
        .take(12)
        .map(|b| {
            let rate = b.win_rate.unwrap_or(0.0);
            (
                if b.key.is_empty() {
                    "–".into()
                } else {
                    b.key.clone()
                },
                rate,
                format!("{:.0}% ({}/{})", rate * 100.0, b.won, b.leads),
            )
        })
        .collect();
    let (body, h) = bars(&rows, 1.0, "#3a9d5d");
    frame(
        &format!(
            "{} · {}",
            tr(lang, "insights.win_rate", &[]),
            tr(lang, "insights.by_source", &[])
        ),
        h,
        &body,
    )
}

pub fn waterfall(i: &Insights, lang: Lang) -> String {
    let title = tr(lang, "insights.decomposition", &[]);
    let Some(f) = i.decomposition.factors else {
        let body = format!(
            "<text x='12' y='60' {FONT}>{}</text>",
            esc(&tr(lang, "insights.no_decomposition", &[]))
        );
        return frame(&title, 90.0, &body);
    };
    let steps = [
        (tr(lang, "insights.traffic", &[]), f.traffic),
        (tr(lang, "insights.conversion", &[]), f.conversion),
        (tr(lang, "insights.avg_price", &[]), f.avg_price),
        (tr(lang, "insights.quantity", &[]), f.quantity),
    ];
    let total = i.decomposition.sales_change.unwrap_or(0.0);
    // Scale: the largest running extent either side of zero.
    let mut running = 0.0f64;
    let mut extent = total.abs().max(1e-9);
    for (_, v) in &steps {
        running += v;
        extent = extent.max(running.abs()).max(v.abs());
    }
    let zero = LEFT + (W - LEFT - 90.0) / 2.0;
    let scale = (W - LEFT - 90.0) / 2.0 / extent;
    let mut body = format!(
        "<line x1='{zero}' y1='34' x2='{zero}' y2='{}' stroke='#999'/>",
        40.0 + 5.0 * (BAR_H + 8.0)
    );
    let mut start = 0.0;
    for (n, (label, v)) in steps
        .iter()
        .chain(std::iter::once(&(
            tr(lang, "insights.sales_change", &[]),
            total,
        )))
        .enumerate()
    {
        let is_total = n == steps.len();
        let (a, b) = if is_total {
            (0.0, *v)
        } else {
            (start, start + v)
        };
        let x = zero + a.min(b) * scale;
        let w = ((b - a).abs() * scale).max(1.0);
        let y = 40.0 + n as f64 * (BAR_H + 8.0);
        let colour = if is_total {
            "#555"
        } else if *v >= 0.0 {
            "#3a9d5d"
        } else {
            "#c0392b"
        };
        body.push_str(&format!(
            "<text x='{lx}' y='{ty}' {FONT} text-anchor='end'>{l}</text><rect x='{x:.1}' y='{y}' width='{w:.1}' height='{BAR_H}' fill='{colour}'/>\
             <text x='{vx:.1}' y='{ty}' {FONT}>{v:+.1}%</text>",
            lx = LEFT - 8.0,
            ty = y + 19.0,
            l = esc(label),
            vx = x + w + 6.0,
            v = v * 100.0
        ));
        if !is_total {
            start += v;
        }
    }
    frame(&title, 40.0 + 5.0 * (BAR_H + 8.0) + 10.0, &body)
}

pub fn monthly_trend(deals: &[Deal], lang: Lang) -> String {
    let mut months: BTreeMap<(i32, u32), (u64, u64)> = BTreeMap::new();
    for d in deals {
        let m = months
            .entry((d.created.year(), d.created.month()))
            .or_default();
        m.0 += 1;
        if d.outcome == Outcome::Won {
            m.1 += 1;
        }
    }
    let months: Vec<((i32, u32), (u64, u64))> = months.into_iter().rev().take(24).rev().collect();
    let h = 260.0;
    let (top, bottom, left, right) = (40.0, h - 40.0, 50.0, W - 20.0);
    let max = months
        .iter()
        .map(|(_, (leads, _))| *leads)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let step = if months.len() > 1 {
        (right - left) / (months.len() - 1) as f64
    } else {
        0.0
    };
    let point = |i: usize, v: u64| {
        (
            left + i as f64 * step,
            bottom - (v as f64 / max) * (bottom - top),
        )
    };
    let line = |pick: fn(&(u64, u64)) -> u64| {
        months
            .iter()
            .enumerate()
            .map(|(i, (_, v))| {
                let (x, y) = point(i, pick(v));
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut body = format!(
        "<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='#999'/>\
         <polyline points='{}' fill='none' stroke='#2f6fb3' stroke-width='2'/><polyline points='{}' fill='none' stroke='#3a9d5d' stroke-width='2'/>\
         <text x='{left}' y='{top}' {FONT} fill='#2f6fb3'>{}</text><text x='{x2}' y='{top}' {FONT} fill='#3a9d5d'>{}</text><text x='8' y='{ty}' {FONT}>{max}</text>",
        line(|v| v.0),
        line(|v| v.1),
        esc(&tr(lang, "insights.leads", &[])),
        esc(&tr(lang, "insights.won", &[])),
        x2 = left + 90.0,
        ty = top + 4.0,
    );
    for (i, ((y, m), _)) in months.iter().enumerate() {
        if months.len() <= 12 || i % 3 == 0 {
            let (x, _) = point(i, 0);
            body.push_str(&format!("<text x='{x:.1}' y='{}' {FONT_FAMILY} text-anchor='middle' font-size='11'>{y}-{m:02}</text>", bottom + 16.0));
        }
    }
    frame(&tr(lang, "insights.trend", &[]), h, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::parse_deals_csv;
    use crate::figures::{insights, InsightsOptions};

    #[test]
    fn charts_are_well_formed_svg_with_escaped_localised_labels() {
        let (deals, _) = parse_deals_csv(
            "id,created,closed,source,stage_reached,outcome,amount,quantity\n1,2025-01-05,2025-02-01,a<b,decision,won,100,10\n2,2025-04-05,2025-05-01,web,decision,won,300,20\n3,2025-04-06,,web,evaluation,open,,\n",
        )
        .unwrap_or_default();
        let opts = InsightsOptions {
            since: crate::deal::parse_date("2025-01-01"),
            until: crate::deal::parse_date("2025-06-30"),
            today: chrono::NaiveDate::default(),
        };
        let i = insights(&deals, &opts);
        for lang in [Lang::En, Lang::ZhCn] {
            for (name, svg) in all_charts(&i, &deals, lang) {
                assert!(
                    svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
                    "{name}"
                );
                assert!(!svg.contains("a<b"), "{name} must escape labels");
                assert_eq!(
                    svg.matches("<text").count(),
                    svg.matches("</text>").count(),
                    "{name}"
                );
                assert_well_formed(name, &svg);
            }
        }
        assert!(funnel(&i, Lang::ZhCn).contains("需求确认"));
    }

    /// Every element parses and no element repeats an attribute (a browser shows an SVG
    /// image with either fault as a broken image).
    fn assert_well_formed(name: &str, svg: &str) {
        let mut reader = quick_xml::Reader::from_str(svg);
        let mut depth = 0i32;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(e)) => {
                    depth += 1;
                    for a in e.attributes() {
                        assert!(a.is_ok(), "{name}: {a:?}");
                    }
                }
                Ok(quick_xml::events::Event::Empty(e)) => {
                    for a in e.attributes() {
                        assert!(a.is_ok(), "{name}: {a:?}");
                    }
                }
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name}: {e}"),
            }
        }
        assert_eq!(depth, 0, "{name}: unclosed elements");
    }
}
