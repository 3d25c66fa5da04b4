#!/usr/bin/env python3
"""Builds corpus/generated.jsonl: labelled inquiries, replies, thread endings and spam in many
languages, composed from the phrase banks in corpus/phrases/*.py.

Deterministic: the same seed and banks give the same file. Run from anywhere:
    python3 corpus/generate.py            # writes corpus/generated.jsonl
Each line: {"text", "lang", "stage", "concerns", "spam", "kind", "origin": "generated"}.
"""
import importlib.util
import json
import os
import random
import re

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20240611

# How many genuine messages and how many spam messages per language.
PLAN = {
    "en": (700, 260), "zh": (420, 150), "es": (300, 90), "pt": (220, 70), "ru": (260, 80),
    "uk": (90, 25), "fr": (200, 60), "de": (200, 60), "it": (150, 45), "ar": (220, 70),
    "tr": (180, 55), "vi": (110, 35), "id": (110, 35), "pl": (110, 35), "ja": (110, 35),
    "ko": (110, 35), "nl": (90, 25),
}
STAGES = ["need_recognition", "evaluation", "concerns", "decision", "implementation"]
STAGE_KIND = {"need_recognition": "inquiry", "evaluation": "inquiry", "concerns": "reply",
              "decision": "reply", "implementation": "thread-last"}
# Concerns that fit each stage best, for the extra sentences added to a message.
STAGE_CONCERNS = {
    "need_recognition": ["moq", "customization", "certification", "supplier_credibility", "samples"],
    "evaluation": ["price", "moq", "delivery_time", "samples", "certification", "customization",
                   "packaging", "shipping_logistics", "quality", "payment_terms"],
    "concerns": ["price", "payment_terms", "quality", "warranty_after_sales", "certification",
                 "delivery_time", "supplier_credibility", "moq"],
    "decision": ["payment_terms", "delivery_time", "packaging", "shipping_logistics"],
    "implementation": ["delivery_time", "quality", "shipping_logistics", "packaging",
                       "warranty_after_sales"],
}


def load_bank(lang):
    path = os.path.join(HERE, "phrases", f"{lang}.py")
    spec = importlib.util.spec_from_file_location(f"bank_{lang}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.BANK


def fill(rng, template, bank):
    prods = bank["products"]
    def slot(m):
        key = m.group(1)
        if key == "p":
            return rng.choice(prods)
        if key == "q":
            return str(rng.choice([50, 100, 200, 300, 500, 800, 1000, 1200, 2000, 3000, 5000, 10000]))
        if key == "u":
            return rng.choice(bank["units"])
        if key == "m":
            return rng.choice(["GT-", "LX", "SP-", "A", "KD-", "HB", "FL", "M", "ZS-", "TX"]) + str(rng.randint(10, 9999))
        if key == "s":
            return rng.choice(["IP65", "IP66", "IP67", "100W", "150W", "200W", "5000K", "4000K", "AC220V",
                               "12V", "24V", "600x600mm", "1200mm", "304 stainless steel", "5mm",
                               "180gsm", "1.2mm", "40W", "3000K", "DC 48V", "10kW", "Grade A", "PP"])
        if key == "price":
            return rng.choice(["1.85", "2.4", "3.6", "4.2", "5.9", "7.5", "12.5", "18", "23", "38.5", "45", "120", "260"])
        if key == "cur":
            return rng.choice(["USD", "US$", "$", "EUR", "€", "USD"])
        if key == "port":
            return rng.choice(["Hamburg", "Rotterdam", "Jebel Ali", "Santos", "Lagos", "Mombasa", "Felixstowe",
                               "Los Angeles", "Durban", "Chittagong", "Karachi", "Manzanillo", "Novorossiysk",
                               "Mersin", "Haiphong", "Tanjung Priok", "Callao", "Valencia", "Gdansk", "Dammam"])
        if key == "n":
            return str(rng.randint(1000, 99999))
        if key == "d":
            return str(rng.choice([7, 10, 15, 20, 25, 30, 35, 45, 60]))
        if key == "pct":
            return rng.choice(["30", "20", "50", "40"])
        if key == "url":
            return rng.choice(bank_urls)
        if key == "fee":
            return rng.choice(["150", "250", "320", "350", "480", "500", "650", "980"])
        return m.group(0)
    return re.sub(r"\{(\w+)\}", slot, template)


bank_urls = [
    "http://185.212.44.19/order/view", "https://docs-share-view.web.app/PO", "https://order-pdf.xyz/login",
    "https://alibaba-verify.top/account", "https://secure-mailbox.icu/verify", "https://dropbox-file.click/po",
    "https://onedrive-live.online/doc", "https://1drv.ms/b/s!Ak3xPO", "https://wetransfer-files.site/download",
]


def noise(rng, text, lang):
    """Real messages: typos, no capitals, WhatsApp shortness, doubled spaces."""
    r = rng.random()
    if lang in ("en", "es", "pt", "fr", "de", "it", "id", "tr", "pl", "nl") and r < 0.12:
        words = text.split(" ")
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(words))
            w = words[i]
            if len(w) > 4:
                j = rng.randrange(1, len(w) - 1)
                words[i] = w[:j] + w[j + 1:] if rng.random() < 0.5 else w[:j] + w[j + 1] + w[j] + w[j + 2:]
        text = " ".join(words)
    elif r < 0.22:
        text = text.lower()
    elif r < 0.27:
        text = text.replace(". ", "\n")
    if lang == "en" and rng.random() < 0.08:
        text = text.replace("please", "pls").replace("Please", "Pls")
    return text


def ham(rng, bank, lang, stage):
    parts = []
    if rng.random() < 0.75:
        parts.append(rng.choice(bank["greet"]))
    entry = rng.choice(bank["stage"][stage])
    text, concerns = (entry, []) if isinstance(entry, str) else entry
    concerns = list(concerns)
    parts.append(fill(rng, text, bank))
    if rng.random() < 0.35:
        entry2 = rng.choice(bank["stage"][stage])
        t2, c2 = (entry2, []) if isinstance(entry2, str) else entry2
        if t2 != text:
            parts.append(fill(rng, t2, bank))
            concerns += [c for c in c2 if c not in concerns]
    n_extra = rng.choices([0, 1, 2], weights=[0.35, 0.45, 0.2])[0]
    options = [c for c in STAGE_CONCERNS[stage] if bank["concern"].get(c)]
    rng.shuffle(options)
    for c in options[:n_extra]:
        parts.append(fill(rng, rng.choice(bank["concern"][c]), bank))
        if c not in concerns:
            concerns.append(c)
    if rng.random() < 0.6:
        parts.append(rng.choice(bank["close"]))
    sep = "" if lang in ("zh", "ja") else ("\n" if rng.random() < 0.3 else " ")
    return noise(rng, sep.join(parts), lang), concerns


def spam(rng, bank, lang):
    kinds = [k for k, v in bank["spam"].items() if v]
    kind = rng.choice(kinds)
    parts = []
    if rng.random() < 0.7:
        parts.append(rng.choice(bank.get("spam_greet", bank["greet"])))
    parts.append(fill(rng, rng.choice(bank["spam"][kind]), bank))
    if rng.random() < 0.4:
        parts.append(fill(rng, rng.choice(bank["spam"][kind]), bank))
    if rng.random() < 0.5:
        parts.append(rng.choice(bank["close"]))
    sep = "" if lang in ("zh", "ja") else ("\n" if rng.random() < 0.4 else " ")
    return noise(rng, sep.join(parts), lang), kind


def main():
    rng = random.Random(SEED)
    seen = set()
    lines = []
    for lang, (n_ham, n_spam) in PLAN.items():
        bank = load_bank(lang)
        made = 0
        tries = 0
        while made < n_ham and tries < n_ham * 20:
            tries += 1
            stage = STAGES[made % len(STAGES)]
            text, concerns = ham(rng, bank, lang, stage)
            if text in seen:
                continue
            seen.add(text)
            made += 1
            lines.append({"text": text, "lang": lang, "stage": stage, "concerns": concerns,
                          "spam": False, "kind": STAGE_KIND[stage], "origin": "generated"})
        made = 0
        tries = 0
        while made < n_spam and tries < n_spam * 20:
            tries += 1
            text, kind = spam(rng, bank, lang)
            if text in seen:
                continue
            seen.add(text)
            made += 1
            lines.append({"text": text, "lang": lang, "stage": None, "concerns": [], "spam": True,
                          "kind": kind, "origin": "generated"})
    out = os.path.join(HERE, "generated.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for l in lines:
            f.write(json.dumps(l, ensure_ascii=False) + "\n")
    print(f"{len(lines)} examples -> {out}")


if __name__ == "__main__":
    main()
