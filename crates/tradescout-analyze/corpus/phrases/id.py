BANK = {
    "products": ["lampu LED", "panel surya", "kursi kantor", "kain", "pompa air", "kabel USB"],
    "units": ["pcs", "unit", "buah", "set", "ton"],
    "greet": ["Halo,", "Selamat pagi,", "Dear Sir,", "Hai kak,"],
    "close": ["Terima kasih.", "Salam, Budi", "Ditunggu balasannya."],
    "stage": {
        "need_recognition": ["Kami tertarik dengan produk anda, mohon kirim katalog.", "Tolong kirim daftar harga dan katalog."],
        "evaluation": ["Mohon penawaran harga {q} {u} {p}, model {m}, {s}.", "Bisakah kirim sampel model {m}?", "Kami butuh {q} {u} {p} {s}, berapa harga FOB?"],
        "concerns": [("Harganya terlalu mahal, pemasok lain lebih murah. Bisa diskon?", ["price"]), ("Garansi berapa lama sebelum memesan?", ["warranty_after_sales"]),
                     ("Syarat pembayaran bisa L/C?", ["payment_terms"])],
        "decision": ["Kami sudah membayar uang muka, konfirmasi pesanan.", "Kirim faktur proforma, kami mau pesan {q} {u}."],
        "implementation": ["Status pesanan {n} bagaimana?", "Barang sudah sampai tapi rusak, komplain.", "Kami mau repeat order sama seperti sebelumnya."],
    },
    "concern": {
        "price": ["Harga terbaik berapa?"], "delivery_time": ["Waktu produksi berapa lama?"], "moq": ["Minimal order berapa?"],
        "samples": ["Ada sampel gratis?"], "certification": ["Ada sertifikat SNI?"], "quality": ["Kualitas bagaimana?"],
        "payment_terms": ["Metode pembayaran apa?"], "shipping_logistics": ["Ongkos kirim ke Jakarta berapa?"], "packaging": ["Kemasan seperti apa?"],
        "warranty_after_sales": ["Garansi berapa tahun?"], "customization": ["Bisa pakai logo kami?"], "supplier_credibility": ["Apakah anda pabrik?"],
    },
    "spam": {"service": ["Jasa SEO halaman pertama Google dan jasa pembuatan website."], "fake_order": ["Pesanan mendesak semua produk anda."]},
}
