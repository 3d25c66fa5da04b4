BANK = {
    "products": ["LED-schijnwerpers", "zonnepanelen", "bureaustoelen", "stoffen", "pompen", "LED panel"],
    "units": ["stuks", "sets", "dozen", "pcs", "containers"],
    "greet": ["Hallo,", "Goedemiddag,", "Beste leverancier,"],
    "close": ["Bedankt.", "Met vriendelijke groet, Jan", "Graag uw reactie."],
    "stage": {
        "need_recognition": ["Wij zijn geïnteresseerd in uw producten, graag uw catalogus.", "Kunt u ons uw prijslijst sturen?"],
        "evaluation": ["Graag een offerte voor {q} {u} {p}, model {m}, {s}.", "Kunt u monsters van model {m} sturen?", "Wij vergelijken leveranciers, stuur specificaties van {p}."],
        "concerns": [("De prijs is te duur, een andere leverancier is goedkoper. Kunt u korting geven?", ["price"]), ("Wat is de garantie voordat wij bestellen?", ["warranty_after_sales"]),
                     ("Accepteert u een kredietbrief?", ["payment_terms"])],
        "decision": ["Wij bevestigen de bestelling, stuur de proforma factuur.", "Aanbetaling is betaald, inkooporder {n} in de bijlage."],
        "implementation": ["Wat is de status van order {n}?", "Goederen ontvangen maar beschadigd, klacht.", "Wij willen nabestellen, zelfde als vorige keer."],
    },
    "concern": {
        "price": ["Wat is uw beste prijs?"], "delivery_time": ["Wat is de levertijd?"], "moq": ["Wat is de minimale bestelhoeveelheid?"],
        "samples": ["Zijn monsters gratis?"], "certification": ["Heeft u CE certificaten?"], "quality": ["Hoe is de kwaliteit?"],
        "payment_terms": ["Wat zijn de betalingsvoorwaarden?"], "shipping_logistics": ["Wat kost de verzending naar Rotterdam?"], "packaging": ["Hoe is de verpakking?"],
        "warranty_after_sales": ["Hoeveel jaar garantie?"], "customization": ["Kan ons logo erop?"], "supplier_credibility": ["Bent u fabrikant?"],
    },
    "spam": {"service": ["Zoekmachineoptimalisatie: bovenaan in Google. Webdesign voor uw bedrijf."]},
}
