/// Well-known free-mail and disposable e-mail domains.
///
/// Ingest may use them to set `Lead.isFreeMail`; a rule set pulls them in only with
/// `include_standard_list: true`, so that a stored rule version does not change meaning
/// when this list grows.
public enum KnownEmailDomains {
    public static let freeMail: Set<String> = [
        "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it",
        "outlook.com", "outlook.de", "outlook.fr", "live.com", "live.co.uk", "msn.com",
        "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.co.jp", "yahoo.com.br", "ymail.com", "rocketmail.com",
        "aol.com", "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "pm.me",
        "gmx.de", "gmx.net", "gmx.at", "gmx.com", "web.de", "t-online.de", "freenet.de",
        "mail.ru", "bk.ru", "inbox.ru", "list.ru", "rambler.ru", "yandex.ru", "yandex.com", "ya.ru",
        "qq.com", "163.com", "126.com", "sina.com", "sohu.com", "naver.com", "daum.net", "hanmail.net",
        "zoho.com", "mail.com", "fastmail.com", "tutanota.com", "tuta.io", "hey.com",
        "orange.fr", "wanadoo.fr", "free.fr", "laposte.net", "libero.it", "virgilio.it", "seznam.cz",
        "wp.pl", "o2.pl", "interia.pl", "rediffmail.com", "bluewin.ch", "comcast.net", "verizon.net", "att.net",
        "sbcglobal.net", "btinternet.com", "sky.com", "rogers.com", "shaw.ca", "bigpond.com", "uol.com.br", "bol.com.br",
    ]

    public static let disposable: Set<String> = [
        "mailinator.com", "guerrillamail.com", "guerrillamail.net", "sharklasers.com", "10minutemail.com", "temp-mail.org",
        "yopmail.com", "trashmail.com", "dispostable.com", "getnada.com", "maildrop.cc", "throwawaymail.com",
        "fakeinbox.com", "mailnesia.com", "mintemail.com", "emailondeck.com", "tempr.email", "mohmal.com",
        "spamgourmet.com", "burnermail.io", "mailcatch.com", "discard.email", "moakt.com", "tempail.com",
        "emailfake.com", "1secmail.com", "mail.tm", "inboxkitten.com",
    ]
}
