BANK = {
    "products": ["đèn LED", "pin mặt trời", "ghế văn phòng", "vải", "máy bơm", "LED panel"],
    "units": ["cái", "chiếc", "bộ", "pcs", "tấn"],
    "greet": ["Xin chào,", "Chào anh,", "Chào chị,"],
    "close": ["Cảm ơn.", "Trân trọng, Minh", "Mong phản hồi."],
    "stage": {
        "need_recognition": ["Chúng tôi quan tâm đến sản phẩm của bạn, vui lòng gửi catalogue.", "Xin gửi bảng giá và danh mục sản phẩm."],
        "evaluation": ["Vui lòng báo giá {q} {u} {p}, model {m}, {s}.", "Có thể gửi hàng mẫu model {m} không?", "Chúng tôi cần {q} {u} {p}, so sánh vài nhà cung cấp."],
        "concerns": [("Giá quá đắt, nhà cung cấp khác rẻ hơn. Có thể giảm giá không?", ["price"]), ("Bảo hành bao lâu?", ["warranty_after_sales"]),
                     ("Điều khoản thanh toán thế nào?", ["payment_terms"])],
        "decision": ["Chúng tôi đã đặt cọc, xác nhận đơn hàng.", "Gửi hóa đơn proforma, chúng tôi chốt đơn."],
        "implementation": ["Tình trạng đơn hàng {n} thế nào?", "Đã nhận hàng nhưng bị hỏng, khiếu nại.", "Chúng tôi muốn đặt lại như đơn trước."],
    },
    "concern": {
        "price": ["Giá tốt nhất là bao nhiêu?"], "delivery_time": ["Thời gian giao hàng bao lâu?"], "moq": ["Số lượng tối thiểu là bao nhiêu?"],
        "samples": ["Có mẫu miễn phí không?"], "certification": ["Có chứng nhận CE không?"], "quality": ["Chất lượng thế nào?"],
        "payment_terms": ["Phương thức thanh toán?"], "shipping_logistics": ["Phí vận chuyển bao nhiêu?"], "packaging": ["Đóng gói thế nào?"],
        "warranty_after_sales": ["Bảo hành bao lâu?"], "customization": ["In logo của chúng tôi được không?"], "supplier_credibility": ["Bạn là nhà máy?"],
    },
    "spam": {"service": ["Thiết kế website và SEO lên trang đầu Google."], "fake_order": ["Đơn hàng gấp tất cả sản phẩm của bạn."]},
}
