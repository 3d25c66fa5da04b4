//! Lines WhatsApp writes itself are counted in `system`, never kept as messages, in whatever
//! language the exporting phone used; and what people sent is never mistaken for them.

use tradescout_chat::{parse, participants, Chat};

const LRM: &str = "\u{200E}";

fn read(text: &str) -> Chat {
    match parse(text) {
        Ok(chat) => chat,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn an_ios_group_in_an_unlisted_language_still_drops_its_events() {
    // Polish is not in the phrase file: the first line and the group's marked lines are known
    // by their shape alone.
    let chat = read(&format!(
        "[12.03.2025, 10:00:00] Zamówienia PL: {LRM}Wiadomości i połączenia są szyfrowane end-to-end.\n\
         [12.03.2025, 10:00:01] Zamówienia PL: {LRM}Marek Nowak utworzył(a) grupę „Zamówienia PL”\n\
         [12.03.2025, 10:00:02] Zamówienia PL: {LRM}Marek Nowak dodał(a) Ciebie\n\
         [12.03.2025, 10:05:00] Marek Nowak: Dzień dobry, prosimy o ofertę na 500 szt.\n\
         [12.03.2025, 10:20:00] Lucy Wang: Good morning Marek, quotation today\n"
    ));
    assert_eq!(chat.system, 3);
    assert_eq!(participants(&chat), ["Marek Nowak", "Lucy Wang"]);
}

#[test]
fn a_contact_who_only_sent_photos_is_not_mistaken_for_the_chat() {
    let chat = read(&format!(
        "[12/03/2025, 10:00:00] Hassan Ali: {LRM}Messages and calls are end-to-end encrypted.\n\
         [12/03/2025, 10:01:00] Hassan Ali: {LRM}image omitted\n\
         [12/03/2025, 10:01:05] Hassan Ali: {LRM}<attached: 00000003-PHOTO-2025-03-12-10-01-05.jpg>\n\
         [12/03/2025, 10:30:00] Lucy Wang: Received, we can make this bracket in Q235 steel\n"
    ));
    assert_eq!(chat.system, 1);
    assert_eq!(chat.messages.len(), 3);
    assert_eq!(chat.messages[0].attachments, ["image"]);
    assert_eq!(participants(&chat), ["Hassan Ali", "Lucy Wang"]);
}

#[test]
fn android_group_events_in_several_languages_have_no_sender() {
    let chat = read(
        "13/03/2025, 09:00 - Klaus Becker hat die Gruppe „Einkauf: Werkzeuge“ erstellt\n\
         13/03/2025, 09:01 - Alejandro Ramírez creó el grupo \"Pedido: sillas\"\n\
         13/03/2025, 09:02 - 陈志明创建了群组“订单：瓷砖”\n\
         13/03/2025, 09:03 - Sophie Martin a créé le groupe « Commande : linge »\n\
         13/03/2025, 09:04 - Amy Lin: Bom dia a todos\n",
    );
    assert_eq!(chat.system, 4);
    assert_eq!(chat.messages.len(), 1);
}

#[test]
fn deleted_messages_in_several_languages_are_system_lines() {
    let chat = read(
        "13/03/2025, 09:00 - Ana: This message was deleted\n\
         13/03/2025, 09:01 - Klaus: Du hast diese Nachricht gelöscht\n\
         13/03/2025, 09:02 - Rafael: Você apagou esta mensagem\n\
         13/03/2025, 09:03 - Дмитрий: Вы удалили данное сообщение\n\
         13/03/2025, 09:04 - 王磊: 你删除了此消息\n\
         13/03/2025, 09:05 - سالم: لقد حذفت هذه الرسالة\n\
         13/03/2025, 09:06 - Marco: Questo messaggio è stato eliminato\n\
         13/03/2025, 09:07 - Ana: This message was deleted, sorry, wrong chat\n",
    );
    assert_eq!(chat.system, 7);
    assert_eq!(chat.messages.len(), 1);
    assert_eq!(
        chat.messages[0].text,
        "This message was deleted, sorry, wrong chat"
    );
}

#[test]
fn encryption_notices_with_a_colon_are_not_messages() {
    let chat = read(
        "13/03/2025, 09:00 - الرسائل والمكالمات مشفرة تماماً بين الطرفين: لا أحد خارج هذه الدردشة يستطيع قراءتها.\n\
         13/03/2025, 09:05 - سالم: مرحبا\n",
    );
    assert_eq!(chat.system, 1);
    assert_eq!(participants(&chat), ["سالم"]);
}
