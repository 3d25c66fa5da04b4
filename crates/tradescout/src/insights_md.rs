//! Insights as Markdown, in the user's language.

use tradescout_core::{tr, Lang};
use tradescout_insights::Insights;

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}%", x * 100.0))
        .unwrap_or_else(|| "–".into())
}

pub fn markdown(i: &Insights, lang: Lang) -> String {
    let t = |k: &str| tr(lang, k, &[]);
    let mut out = format!(
        "## {}\n\n{}: {} · {}: {}\n\n",
        t("insights.title"),
        t("insights.deals"),
        i.deals,
        t("insights.win_rate"),
        pct(i.win_rate)
    );
    out.push_str(&format!(
        "### {}\n\n| {} | {} | {} |\n|---|---:|---:|\n",
        t("insights.funnel"),
        t("report.stage"),
        t("insights.count"),
        t("insights.to_next")
    ));
    for f in &i.funnel {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            tr(lang, &format!("stage.{}", f.stage), &[]),
            f.count,
            pct(f.conversion_to_next)
        ));
    }
    for (title, rows) in [
        ("insights.by_source", &i.by_source),
        ("insights.by_country", &i.by_country),
        ("insights.by_product", &i.by_product),
        ("insights.by_salesperson", &i.by_salesperson),
    ] {
        out.push_str(&format!(
            "\n### {}\n\n| | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|\n",
            t(title),
            t("insights.leads"),
            t("insights.won"),
            t("insights.win_rate"),
            t("insights.revenue")
        ));
        for b in rows.iter().take(15) {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {:.0} |\n",
                if b.key.is_empty() { "–" } else { &b.key },
                b.leads,
                b.won,
                pct(b.win_rate),
                b.revenue
            ));
        }
    }
    let c = &i.cycle_days;
    out.push_str(&format!(
        "\n### {}\n\n{}: {} · p90: {}\n",
        t("insights.cycle"),
        t("insights.median"),
        c.median.map(|d| format!("{d:.0}")).unwrap_or("–".into()),
        c.p90.map(|d| format!("{d:.0}")).unwrap_or("–".into())
    ));
    if !i.loss_reasons.is_empty() {
        out.push_str(&format!("\n### {}\n\n", t("insights.loss_reasons")));
        for r in &i.loss_reasons {
            out.push_str(&format!(
                "- {} — {} ({})\n",
                r.reason,
                r.count,
                pct(Some(r.share))
            ));
        }
    }
    let d = &i.decomposition;
    out.push_str(&format!(
        "\n### {}\n\n{} → {}: ",
        t("insights.decomposition"),
        d.from.start,
        d.to.end
    ));
    match (d.sales_change, d.factors) {
        (Some(change), Some(f)) => out.push_str(&format!(
            "{} {}\n\n- {}: {}\n- {}: {}\n- {}: {}\n- {}: {}\n",
            t("insights.sales_change"),
            pct(Some(change)),
            t("insights.traffic"),
            pct(Some(f.traffic)),
            t("insights.conversion"),
            pct(Some(f.conversion)),
            t("insights.avg_price"),
            pct(Some(f.avg_price)),
            t("insights.quantity"),
            pct(Some(f.quantity))
        )),
        _ => out.push_str(&format!("{}\n", t("insights.no_decomposition"))),
    }
    let l = &i.lead_score;
    out.push_str(&format!(
        "\n### {}\n\n{} · AUC {} · {} {} / {} {}\n",
        t("insights.lead_score"),
        l.model,
        l.auc.map(|a| format!("{a:.3}")).unwrap_or("–".into()),
        t("insights.train"),
        l.n_train,
        t("insights.test"),
        l.n_test
    ));
    if i.currencies.len() > 1 {
        out.push_str(&format!(
            "\n⚠ {}: {}\n",
            t("insights.mixed_currencies"),
            i.currencies.join(", ")
        ));
    }
    out
}
