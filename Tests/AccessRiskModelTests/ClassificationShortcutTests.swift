import Testing

@testable import AccessRiskModel

/// The shortcuts of classification give the answers of the general code they skip.
@Suite("Classification shortcuts")
struct ClassificationShortcutTests {
    static let names = [
        "password", "Passwd", "user_pwd", "API-Key", "api key", "apikey", "Client.Secret", "secretary",
        "Secretary_Password", "secretarsecret", "ssecretarr", "token", "Tokenizer", "username", "user name", "PWD",
        "pass word", "tab\tpwd", "cr\r\npwd", "vt\u{0B}pwd", "logs-123", "", "   ", "___", "Quantity0",
        "código_secreto", "contraseña", "pässword", "pass\u{00A0}word", "Secret\u{2003}Key", "ŝecret",
        "client_ipaddress", "shipaddress", "emp_ss-num", "cartão_de_crédito", "credit card number", "IP_Address",
        "date_of_birth", "email", "Kelvin\u{212A}", "abc[",
    ]

    @Test func asciiCredentialNamesAreJudgedAsOnCharacters() {
        let catalogue = ClassificationCatalogue.standard
        for name in Self.names {
            #expect(catalogue.isCredentialName(name) == catalogue.isCredentialNameByCharacters(name), "\(name)")
        }
        var policy = ClassificationPolicy.default
        policy.credentialNameTerms = ["pass word", "key", "sec-ret"]
        policy.credentialNameExclusions = ["keyboard", "passwordhint", "pass"]
        let custom = ClassificationCatalogue(policy: policy)
        for name in Self.names + ["keyboard_key", "passwordhint", "password", "keykeyboard", "pass-pass-word"] {
            #expect(custom.isCredentialName(name) == custom.isCredentialNameByCharacters(name), "\(name)")
        }
    }

    @Test func nonASCIINamesTakeTheGeneralPath() {
        let rules: (terms: [[UInt8]], exclusions: [[UInt8]]) = ([Array("pwd".utf8)], [])
        #expect(ClassificationCatalogue.isCredentialName(ascii: "pässwort_pwd", rules) == nil)
        #expect(ClassificationCatalogue.isCredentialName(ascii: "my_pwd", rules) == true)
        #expect(ClassificationCatalogue.isCredentialName(ascii: "my_pw", rules) == false)
    }

    @Test func theLetterPrefilterNeverRulesOutAMatch() {
        let patterns =
            ClassificationPolicy.default.namePatterns.map { LikePattern($0.pattern, sqlLike: $0.sqlLike) } + [
                LikePattern("%ã%"), LikePattern("cart_o%"), LikePattern("[^a]%"), LikePattern("abc["),
                LikePattern("%ŝ%", sqlLike: false),
            ]
        var matched = 0
        for name in Self.names {
            let scalars = Array(name.lowercased().unicodeScalars)
            let present = ScalarSet(scalars)
            for p in patterns {
                #expect(p.matches(scalars, scalars: present) == p.matches(scalars), "\(name)")
                if p.matches(scalars) { matched += 1 }
            }
        }
        #expect(matched > 10)
        #expect(!ScalarSet("ssn".unicodeScalars).isSubset(of: ScalarSet("logs-1".unicodeScalars)))
        #expect(ScalarSet("é".unicodeScalars).isSubset(of: ScalarSet("ü".unicodeScalars)))
    }
}
