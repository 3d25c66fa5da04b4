BANK = {
    "products": ["naświetlacze LED", "panele słoneczne", "krzesła biurowe", "tkaniny", "pompy", "klocki hamulcowe", "LED panel"],
    "units": ["szt", "sztuk", "kompletów", "kontenerów 40HQ", "ton"],
    "greet": ["Dzień dobry,", "Witam,", "Szanowni Państwo,"],
    "close": ["Dziękuję.", "Pozdrawiam, Tomasz", "Czekam na odpowiedź."],
    "stage": {
        "need_recognition": ["Jesteśmy zainteresowani waszymi produktami, prosimy o katalog.", "Prosimy o cennik i więcej informacji."],
        "evaluation": ["Prosimy o wycenę {q} {u} {p}, model {m}, {s}.", "Czy możecie wysłać próbki modelu {m}?", "Potrzebujemy {q} {u} {p}, porównujemy oferty."],
        "concerns": [("Cena za drogo, inny dostawca daje taniej. Możecie obniżyć cenę?", ["price"]), ("Jaka gwarancja przed złożeniem zamówienia?", ["warranty_after_sales"]),
                     ("Warunki płatności: akredytywa?", ["payment_terms"])],
        "decision": ["Potwierdzamy zamówienie, prosimy o fakturę proforma.", "Wpłaciliśmy zaliczkę, potwierdzenie przelewu w załączniku."],
        "implementation": ["Jaki jest status zamówienia {n}?", "Otrzymaliśmy towar, część uszkodzona, reklamacja.", "Chcemy ponowne zamówienie."],
    },
    "concern": {
        "price": ["Jaka najlepsza cena?"], "delivery_time": ["Jaki czas dostawy?"], "moq": ["Jakie minimalne zamówienie?"],
        "samples": ["Czy próbki są darmowe?"], "certification": ["Czy jest certyfikat CE?"], "quality": ["Jaka jakość?"],
        "payment_terms": ["Jakie warunki płatności?"], "shipping_logistics": ["Ile kosztuje transport do Gdańska?"], "packaging": ["Jakie opakowanie?"],
        "warranty_after_sales": ["Jaka gwarancja?"], "customization": ["Czy możliwe nasze logo?"], "supplier_credibility": ["Czy jesteście producentem?"],
    },
    "spam": {"service": ["Pozycjonowanie, pierwsza strona Google, projektowanie stron."], "advance_fee": ["Opłata rejestracyjna {fee} USD dla dostawcy."]},
}
