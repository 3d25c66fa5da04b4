//! Behaviour of `split_reply` on the shapes well-known reply parsers are tested on, written
//! here as export-trade mail.

mod split_reply_shapes {
    use tradescout_mail::split::{parse_split_data, split_reply};

    fn visible(body: &str) -> String {
        split_reply(body).without_signature().to_owned()
    }

    fn text(body: &str) -> String {
        split_reply(body).text
    }

    #[test]
    fn split_data_file_parses() {
        assert_eq!(parse_split_data(), Ok(()));
    }

    #[test]
    fn quote_headers_and_phone_footers_in_more_languages() {
        for (body, want) in [
            (
                "Cảm ơn, chúng tôi đồng ý.\n\nVào Th 3, 4 thg 3, 2025 vào lúc 10:05 Lily <lily@x.cn> đã viết:\n> giá",
                "Cảm ơn, chúng tôi đồng ý.",
            ),
            (
                "Terima kasih.\n\nPada Sel, 4 Mar 2025 pukul 10.05 Lily <lily@x.cn> menulis:\n> harga",
                "Terima kasih.",
            ),
            // German Gmail, also wrapped after the day number; Russian Gmail with the weekday.
            (
                "Passt, bitte liefern.\n\nKlaus Müller <km@x.de> schrieb am Fr., 28. März 2025 um 11:53 Uhr:\n> Preis",
                "Passt, bitte liefern.",
            ),
            (
                "Passt, bitte liefern.\n\nKlaus Müller <km@x.de> schrieb am Fr., 28.\nMärz 2025 um 11:53 Uhr:\n> Preis",
                "Passt, bitte liefern.",
            ),
            (
                "Спасибо, подтверждаем.\n\nпонедельник, 6 октября 2025 г. пользователь Lily написал:\n> цена",
                "Спасибо, подтверждаем.",
            ),
            (
                "Noted, thanks.\n\n*-------- Original Message --------*\nSubject: price",
                "Noted, thanks.",
            ),
            // A sentence ending in a day number is no header.
            (
                "We ship on the 28.\nPlease confirm the marks.",
                "We ship on the 28.\nPlease confirm the marks.",
            ),
        ] {
            assert_eq!(text(body), want, "{body}");
        }
        for footer in [
            "iPhoneから送信",
            "iPhone에서 보냄",
            "Gửi từ iPhone của tôi",
            "Dikirim dari iPhone saya",
        ] {
            let body = format!("OK, confirmed.\n\n{footer}");
            assert_eq!(visible(&body), "OK, confirmed.", "{footer}");
        }
    }

    #[test]
    fn empty_and_blank_bodies_give_empty_text() {
        for body in ["", "\n", "  \n\r\n\t"] {
            let r = split_reply(body);
            assert_eq!(r.text, "");
            assert_eq!(r.signature, None);
            assert_eq!(r.quoted, None);
        }
    }

    #[test]
    fn header_line_followed_by_unquoted_text_cuts_everything_below() {
        let headers = [
            "On Tue, 2025-03-04 at 18:02 +0800, Lily Chen wrote:",
            "2025-03-04 8:48 GMT+08:00 Lily Chen <lily@brightled.cn>:",
            "2025-03-04 20:48 GMT+08:00 Lily Chen <lily@brightled.cn>:",
            "Le 4 mars 2025 10:37, Lily Chen <lily@brightled.cn> a écrit :",
            "El 04/03/2025 11:34, Lily Chen <lily@brightled.cn> escribió:",
            "W dniu 4 marca 2025 15:24 użytkownik Lily Chen <lily@brightled.cn> napisał:",
            "Le 04/03/2025 11:34, Lily Chen a écrit :",
            "W dniu 2025-03-04 14:23, lily@brightled.cn pisze:",
            "Den 04/03/2025 kl. 21.21 skrev Lily Chen <lily@brightled.cn>:",
            "Am 04.03.2025 um 10:55 schrieb Lily Chen:",
            "Lily Chen <lily@brightled.cn> schrieb:",
            "在 2025年3月4日，下午2:23，Lily Chen <lily@brightled.cn> 写道：",
            "2025. 3. 4. 오후 12:39 Lily Chen <lily@brightled.cn> 작성:",
            "2025/03/04 14:26、Lily Chen <lily@brightled.cn> のメッセージ:",
            "Op 04-03-2025 3:18 schreef Lily Chen <lily@brightled.cn>:",
            "Lily Chen <lily@brightled.cn> 於 2025年3月4日 週二 上午10:15寫道：",
            "Lily Chen <lily@brightled.cn> 于2025年3月4日周二 10:15写道：",
            "Il giorno mar 4 mar 2025 alle ore 10:15 Lily Chen <lily@brightled.cn> ha scritto:",
            "Em ter., 4 de mar. de 2025 às 10:15, Lily Chen <lily@brightled.cn> escreveu:",
            "вт, 4 мар. 2025 г. в 10:15, Lily Chen <lily@brightled.cn>:",
            "4 мар. 2025 г., в 10:15, Lily Chen <lily@brightled.cn> написал(а):",
            "Wednesday, 5 March 2025, 3:32 PM +0300 from lily@brightled.cn <lily@brightled.cn>:",
            "------On 03/04/2025 17:32 PM, Lily Chen wrote-----",
            "On Wed, 5 Mar 2025 08:14:43 +0800 Lily Chen <lily@brightled.cn> wrote",
            "11:00 AM, March 5, 2025, \"Lily - BrightLED\" <lily@brightled.cn>:",
            "Dnia 5 marca 2025 12:08 Lily Chen <lily@brightled.cn> napisał(a):",
        ];
        for h in headers {
            let body =
                format!("Thank you very much.\n\n{h}\n\nThis is my previous mail about the MOQ\n");
            assert_eq!(
                visible(&body),
                "Thank you very much.",
                "header not recognised: {h}"
            );
        }
    }

    #[test]
    fn sentence_starting_with_on_is_not_a_header() {
        let body =
            "Our factory is closed next week.\nOn Monday we restart production of the 50W lamps.";
        assert_eq!(text(body), body);
        let body = "One question: can you print our logo?\n\nOn the box too, please.";
        assert_eq!(text(body), body);
    }

    #[test]
    fn header_wrapped_with_address_on_next_line_is_recognised() {
        let body = "Test reply\n\n2025-03-04 11:28 GMT+03:00 Postmaster <\npostmaster@bulk-mail.example.com>:\n\n> First from site\n>\n";
        assert_eq!(visible(body), "Test reply");
        let body = "Thanks Ahmed\n On Mar 8, 2025 9:59 AM, \"Gulf Lighting\" <\nreply+7f1b094ceb90e18@gulf-lighting.ae> wrote:\n\n\n>**\n>  Quote attached";
        assert_eq!(visible(body), "Thanks Ahmed");
    }

    #[test]
    fn reply_text_on_the_same_line_as_the_header_is_kept() {
        assert_eq!(
            visible("ok On Wed, Mar 5, 2025 at 3:59 PM, lily@brightled.cn wrote:\n> Hi"),
            "ok"
        );
        assert_eq!(
            visible("ok--- On Wed, Mar 5, 2025 at 3:59 PM, lily@brightled.cn wrote:\n> Hi"),
            "ok"
        );
    }

    #[test]
    fn text_below_a_marked_quote_is_kept_without_the_header() {
        let body = "Test reply\n\nOn 04/03/2025 07:10 AM, Lily Chen wrote:\n\n>\n> Price is 9.9 USD\n\nRegards, John";
        assert_eq!(text(body), "Test reply\n\nRegards, John");
        let body = "Test reply\nOn 04/03/2025 07:10 AM, Lily Chen wrote:\n\n>ok\n>On 03/03/2025 07:10 AM, John wrote:\n>\n>>\n>> MOQ?\n\nRegards, John";
        assert_eq!(text(body), "Test reply\nRegards, John");
        let body = "On 04/03/2025 07:10 AM, Lily Chen wrote:\n\n>\n> Price is 9.9 USD\nAccepted";
        assert_eq!(text(body), "Accepted");
    }

    #[test]
    fn separator_lines_in_many_languages_cut_the_history() {
        for sep in [
            "-----Original Message-----",
            "-----Reply Message-----",
            "-----Ursprüngliche Nachricht-----",
            "-----Antwort Nachricht-----",
            "-----Oprindelig meddelelse-----",
            "-------- Oprindelig besked --------",
            "-------- Message d'origine --------",
            "----- Mensaje original -----",
            "-----Исходное сообщение-----",
            "------------------ 原始邮件 ------------------",
            "------------------&nbsp;原始邮件&nbsp;------------------",
            "---- 回复的原邮件 ----",
            "-------- 转发邮件信息 --------",
            "----- Weitergeleitete Nachricht -----",
            "-------- Message transféré --------",
            "---------- Forwarded message ---------",
            "Begin forwarded message:",
        ] {
            let body = format!("Test reply\n\n{sep}\n\nOld text about 500 pcs");
            assert_eq!(
                visible(&body),
                "Test reply",
                "separator not recognised: {sep}"
            );
        }
    }

    #[test]
    fn header_blocks_in_many_languages_cut_the_history() {
        let blocks = [
            "From: sales@lamps.cn\nSent: March-19-25 5:42 PM\nTo: Buyer\nSubject: Quote",
            "Von: sales@lamps.cn\nGesendet: Dienstag, 4. März 2025 14:59\nAn: Einkauf\nBetreff: Angebot",
            "De : Chen [mailto:chen@lamps.cn]\nEnvoyé : vendredi 7 mars 2025 16:39\nÀ : Camille\nObjet : Devis",
            "Fra: sales@lamps.cn\nSendt: 19. marts 2025 12:10\nTil: Buyer\nEmne: Tilbud",
            "Från: Sales [mailto:sales@lamps.cn]\nSkickat: den 26 mars 2025 14:45\nTill: Buyer\nÄmne: RE: Vecka 12",
            "Da: sales@lamps.cn\nInviato: lunedì 3 marzo 2025 10:15\nA: Buyer\nOggetto: Offerta",
            "Van: sales@lamps.cn\nVerzonden: maandag 3 maart 2025 10:15\nAan: Buyer\nOnderwerp: Offerte",
            "Date: Wed, 5 Mar 2025 00:15:02 +0800\nTo: buyer@shop.com",
            "Date: Fri=2C 7 Mar 2025 10:55:48 +0000\nFrom: sales@lamps.cn\nTo: buyer@shop.com\nSubject: [Order #8] Test",
            "  *From:* sales@lamps.cn [mailto:\n  sales@lamps.cn]\n  *Sent:* Wednesday, March 5, 2025 3:05 PM\n  *To:* buyer@shop.com\n  *Subject:* Hello",
            "-----Ursprüngliche Nachricht-----\nVon: Max <max@shop.de>\nAn: Sales <sales@lamps.cn>\nBetreff: Anfrage\nDatum: 25.03.2025 15:00",
        ];
        for b in blocks {
            let body = format!("Allo! Follow-up on the order.\n\n{b}\n\nBlah-blah-blah\n");
            assert_eq!(
                visible(&body),
                "Allo! Follow-up on the order.",
                "block not recognised:\n{b}"
            );
        }
    }

    #[test]
    fn single_from_line_in_prose_is_not_a_header() {
        let body = "Please ship the samples.\nfrom: our Ningbo warehouse, as agreed.\nThanks a lot for the help with customs";
        assert_eq!(text(body), body);
    }

    #[test]
    fn dash_delimiter_starts_the_signature() {
        let r = split_reply("Please confirm the order.\n--\nrick");
        assert_eq!(r.signature.as_deref(), Some("--\nrick"));
        assert_eq!(r.without_signature(), "Please confirm the order.");
        let r = split_reply("Please confirm the order.\n\n-- \nrick\nBrightHome Ltd");
        assert_eq!(r.signature.as_deref(), Some("-- \nrick\nBrightHome Ltd"));
    }

    #[test]
    fn signature_delimiter_in_the_middle_of_a_line_is_text() {
        let body = "Hi,\n\nI think the driver -- the 24V one -- is the problem.\n\nCan you check?";
        let r = split_reply(body);
        assert_eq!(r.signature, None);
        assert_eq!(r.text, body);
    }

    #[test]
    fn signature_words_and_dash_names() {
        let cases = [
            ("Hey!\n\nThanks!\nRoman", "Hey!", "Thanks!\nRoman"),
            ("Hey!\n-roman", "Hey!", "-roman"),
            ("Hey!\n\n- roman", "Hey!", "- roman"),
            (
                "Wow. Awesome!\n--\nBob Smith",
                "Wow. Awesome!",
                "--\nBob Smith",
            ),
            (
                "Hey!\n--\nBest regards,\n\nRoman",
                "Hey!",
                "--\nBest regards,\n\nRoman",
            ),
            (
                "Hey!\n\nSent from my iPhone!",
                "Hey!",
                "Sent from my iPhone!",
            ),
            (
                "Blah\nSent from Mailbox for iPhone",
                "Blah",
                "Sent from Mailbox for iPhone",
            ),
            (
                "Blah.\n\n-Lev.\n\nSent from my HTC smartphone!",
                "Blah.",
                "-Lev.\n\nSent from my HTC smartphone!",
            ),
            (
                "Thanks,\n\nBlah\n\nregards\n\nJohn Doe",
                "Thanks,\n\nBlah",
                "regards\n\nJohn Doe",
            ),
            (
                "Here is the order.\n\nVon meinem iPhone gesendet",
                "Here is the order.",
                "Von meinem iPhone gesendet",
            ),
            (
                "Voici la commande.\n\nEnvoyé de mon iPhone",
                "Voici la commande.",
                "Envoyé de mon iPhone",
            ),
            (
                "Aquí está el pedido.\n\nEnviado desde mi iPhone",
                "Aquí está el pedido.",
                "Enviado desde mi iPhone",
            ),
            (
                "Заказ во вложении.\n\nОтправлено с iPhone",
                "Заказ во вложении.",
                "Отправлено с iPhone",
            ),
            (
                "订单见附件。\n\n从我的 iPhone 发送",
                "订单见附件。",
                "从我的 iPhone 发送",
            ),
            (
                "Order attached.\n\nSent from my Huawei phone",
                "Order attached.",
                "Sent from my Huawei phone",
            ),
        ];
        for (body, text, sig) in cases {
            let r = split_reply(body);
            assert_eq!(r.without_signature(), text, "text of {body:?}");
            assert_eq!(r.signature.as_deref(), Some(sig), "signature of {body:?}");
        }
    }

    #[test]
    fn blackberry_footer_over_two_lines_is_a_signature() {
        let body = "Heeyyoooo.\nSent wirelessly from my BlackBerry device on the Bell network.\nEnvoyé sans fil par mon terminal mobile BlackBerry sur le réseau de Bell.";
        assert_eq!(visible(body), "Heeyyoooo.");
    }

    #[test]
    fn sign_offs_in_many_languages_start_the_signature() {
        for signoff in [
            "Best regards,",
            "Kind regards",
            "Thanks & regards",
            "Cheers",
            "BR",
            "此致 敬礼",
            "祝好",
            "顺祝商祺！",
            "谢谢！",
            "Saludos cordiales",
            "Atentamente,",
            "Atenciosamente,",
            "Cordialement,",
            "Mit freundlichen Grüßen",
            "С уважением,",
            "مع تحيات",
            "Saygılarımla",
            "İyi çalışmalar",
            "Thanks in advance,",
            "Merci d'avance,",
            "At your service,",
        ] {
            let body = format!("Please quote 500 pcs of model LS-100.\n\n{signoff}\nJohn Smith\nPurchasing Manager");
            let r = split_reply(&body);
            assert_eq!(
                r.without_signature(),
                "Please quote 500 pcs of model LS-100.",
                "sign-off {signoff}"
            );
            assert!(
                r.signature
                    .as_deref()
                    .is_some_and(|s| s.starts_with(signoff)),
                "sign-off {signoff}"
            );
        }
    }

    #[test]
    fn thanks_alone_after_text_stays_text() {
        let body = "Please send the quotation today.\n\nThanks";
        assert_eq!(split_reply(body).signature, None);
    }

    #[test]
    fn regards_inside_a_sentence_is_not_a_signature() {
        let body = "Hi,\n\nWith regards to the payment, we sent 30% deposit yesterday by T/T.\nPlease check with your bank and confirm the production schedule for the 2000 pcs.";
        let r = split_reply(body);
        assert_eq!(r.signature, None);
        assert_eq!(r.text, body);
    }

    #[test]
    fn bullets_are_retained() {
        let body = "test 2 this should list second\n\nand have spaces\n\nand retain this formatting\n\n\n   - how about bullets\n   - and another";
        assert_eq!(visible(body), body);
    }

    #[test]
    fn quote_marker_false_positive_keeps_text() {
        let body = "Visit us now for assistance...\n>>> >>>  http://www.lamps.example <<<\nVisit our site by clicking the link above";
        let r = split_reply(body);
        assert!(r.text.contains("Visit us now"));
        assert!(r.text.contains("Visit our site"));
    }

    #[test]
    fn quoted_history_is_returned() {
        let body =
            "Fine.\n\nOn Mon, Mar 3, 2025 at 10:15 AM Lily <lily@brightled.cn> wrote:\n> MOQ 300";
        let r = split_reply(body);
        assert_eq!(
            r.quoted.as_deref(),
            Some("On Mon, Mar 3, 2025 at 10:15 AM Lily <lily@brightled.cn> wrote:\n> MOQ 300")
        );
    }

    #[test]
    fn windows_line_endings_are_handled() {
        let body = "Looks good :+1:\r\n\r\nOn Mon, Mar 3, 2025 at 10:15 AM Lily <lily@brightled.cn> wrote:\r\n> Steps 0-2 done\r\n";
        assert_eq!(visible(body), "Looks good :+1:");
    }

    #[test]
    fn pasted_message_starting_with_its_own_headers_keeps_its_text() {
        let body =
            "From: buyer@shop.com\nTo: sales@lamps.cn\nSubject: Inquiry\n\nPlease quote 100 pcs.";
        assert_eq!(visible(body), "Please quote 100 pcs.");
    }

    #[test]
    fn hostile_bodies_are_split_without_panicking() {
        let long_line = "On ".repeat(200_000);
        let colons = ":".repeat(300_000);
        let many_quotes = "> On Mon, Mar 3, 2025 at 10:15 AM x <x@y.z> wrote:\n".repeat(8_000);
        let headers = "From: a\nSent: b\nTo: c\n\n".repeat(20_000);
        // Speed on such input is measured by `tradescout bench`, not asserted here.
        for body in [long_line, colons, many_quotes, headers] {
            let reply = split_reply(&body);
            assert!(reply.text.len() <= body.len());
            assert!(tradescout_mail::split::split_history(&body).len() <= 64);
        }
    }
}
