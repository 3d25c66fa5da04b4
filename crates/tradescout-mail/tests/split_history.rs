//! Behaviour of `split_history`: order, metadata and parsed dates of earlier messages.

mod split_history_behaviour {
    use tradescout_mail::split::split_history;

    #[test]
    fn body_without_history_has_no_earlier_messages() {
        assert!(split_history("Please quote 500 pcs.\n\nBest regards,\nJohn").is_empty());
        assert!(split_history("").is_empty());
    }

    #[test]
    fn header_dates_are_parsed_with_their_zone() {
        let cases = [
            (
                "On Mon, Mar 3, 2025 at 10:15 AM Lily <lily@brightled.cn> wrote:",
                "2025-03-03T10:15:00+00:00",
            ),
            (
                "On Monday, March 3, 2025, 10:15:22 AM GMT+8, Lily <lily@brightled.cn> wrote:",
                "2025-03-03T10:15:22+08:00",
            ),
            (
                "在 2025-03-03 10:15:00，\"张三\" <zhangsan@163.com> 写道：",
                "2025-03-03T10:15:00+00:00",
            ),
            (
                "On 3 Mar 2025, at 10:15, Lily <lily@brightled.cn> wrote:",
                "2025-03-03T10:15:00+00:00",
            ),
        ];
        for (header, expected) in cases {
            let body = format!("Ok.\n\n{header}\n> MOQ is 300 pcs.\n");
            let history = split_history(&body);
            assert_eq!(history.len(), 1, "{header}");
            let parsed = history[0].date_parsed.map(|d| d.to_rfc3339());
            assert_eq!(parsed.as_deref(), Some(expected), "{header}");
            assert_eq!(history[0].text, "MOQ is 300 pcs.");
        }
    }

    #[test]
    fn outlook_block_gives_sender_recipient_and_subject() {
        let body = "Noted.\n\nFrom: Kevin Li <kevin@ledfactory.cn>\nSent: Wednesday, March 5, 2025 5:45 PM\nTo: Anna <anna@shop.pl>\nSubject: Drawing for panel light\n\nThe drawing is ready.\n\nBest regards,\nKevin";
        let history = split_history(body);
        assert_eq!(history.len(), 1);
        let m = &history[0];
        assert_eq!(m.from.as_deref(), Some("Kevin Li <kevin@ledfactory.cn>"));
        assert_eq!(m.to.as_deref(), Some("Anna <anna@shop.pl>"));
        assert_eq!(m.subject.as_deref(), Some("Drawing for panel light"));
        assert_eq!(m.date.as_deref(), Some("Wednesday, March 5, 2025 5:45 PM"));
        assert!(m.date_parsed.is_some());
        assert_eq!(m.text, "The drawing is ready.\n\nBest regards,\nKevin");
    }

    #[test]
    fn pasted_thread_of_outlook_blocks_is_returned_oldest_first() {
        let body = "Please see the thread below.\n\nFrom: B <b@shop.com>\nSent: Tuesday, March 4, 2025 9:00 AM\nTo: A <a@lamps.cn>\nSubject: RE: price\n\nWe accept.\n\nFrom: A <a@lamps.cn>\nSent: Monday, March 3, 2025 9:00 AM\nTo: B <b@shop.com>\nSubject: price\n\nUnit price 9.90 USD.";
        let history = split_history(body);
        let texts: Vec<_> = history.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["Unit price 9.90 USD.", "We accept."]);
    }
}
