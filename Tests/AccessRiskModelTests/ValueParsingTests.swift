import Testing

@testable import AccessRiskModel

@Suite struct DateParsingTests {
    @Test(arguments: [
        ("2024-10-14", Timestamp(year: 2024, month: 10, day: 14)),
        ("2024-10-14T20:25:32Z", Timestamp(year: 2024, month: 10, day: 14, hour: 20, minute: 25, second: 32)),
        (
            "2024-10-14T20:25:32.172518+00:00",
            Timestamp(year: 2024, month: 10, day: 14, hour: 20, minute: 25, second: 32)
        ),
        ("2024-10-14T22:25:32+02:00", Timestamp(year: 2024, month: 10, day: 14, hour: 20, minute: 25, second: 32)),
        ("2024-10-14T18:25:32-0200", Timestamp(year: 2024, month: 10, day: 14, hour: 20, minute: 25, second: 32)),
        (
            "2020-10-26 13:47:03.127000+00:00",
            Timestamp(year: 2020, month: 10, day: 26, hour: 13, minute: 47, second: 3)
        ),
        ("2024-03-11T19:46:53.031Z", Timestamp(year: 2024, month: 3, day: 11, hour: 19, minute: 46, second: 53)),
        ("2024-01-01T00:30:00+01:00", Timestamp(year: 2023, month: 12, day: 31, hour: 23, minute: 30)),
        ("8/19/2021 1:25:31 PM", Timestamp(year: 2021, month: 8, day: 19, hour: 13, minute: 25, second: 31)),
        ("12/1/2023 12:05:00 AM", Timestamp(year: 2023, month: 12, day: 1, hour: 0, minute: 5)),
        ("12/1/2023 12:05:00 PM", Timestamp(year: 2023, month: 12, day: 1, hour: 12, minute: 5)),
        ("1/2/2022", Timestamp(year: 2022, month: 1, day: 2)),
        ("  2024-02-29  ", Timestamp(year: 2024, month: 2, day: 29)),
    ])
    func parses(_ text: String, _ expected: Timestamp?) throws {
        #expect(try DateParsing.parse(text) == expected)
    }

    @Test func dayFirstOnlyWhenTheLocaleSaysSo() throws {
        #expect(
            try DateParsing.parse("01/02/2022 09:05:00", locale: .dayFirst)
                == Timestamp(year: 2022, month: 2, day: 1, hour: 9, minute: 5))
        #expect(
            try DateParsing.parse("01/02/2022 09:05:00") == Timestamp(year: 2022, month: 1, day: 2, hour: 9, minute: 5))
        #expect(throws: ValueError.self) { try DateParsing.parse("13/01/2022") }
        #expect(throws: ValueError.self) { try DateParsing.parse("1/2/2022 1:00:00 PM", locale: .dayFirst) }
    }

    @Test(arguments: [
        "yesterday", "2023-02-29", "2024-13-01", "2024-10-14T25:00:00Z", "8/19/21", "2024-10-14T10:00:00+15:00",
        "13/45/2024 8:00:00 AM", "2024-10-14Tfoo", "1/2/2022 13:00:00 PM", "0",
    ])
    func garbageThrows(_ text: String) {
        #expect(throws: ValueError.self) { try DateParsing.parse(text) }
        #expect(throws: ValueError.self) { try DateParsing.parseOptional(text) }
    }

    @Test(arguments: [
        "", "  ", "N/A", "None", "null", "no_information", "not_supported", "0001-01-01T00:00:00Z",
        "1/1/0001 12:00:00 AM",
    ])
    func noValueSpellingsAreNil(_ text: String) throws {
        #expect(try DateParsing.parseOptional(text) == nil)
    }

    @Test func timestampArithmetic() throws {
        let a = try #require(Timestamp(year: 2024, month: 2, day: 28, hour: 23))
        let b = try #require(Timestamp(year: 2024, month: 3, day: 1, hour: 1))
        #expect(a.days(until: b) == 2)
        #expect(a.isoDate == "2024-02-28")
        #expect(b.isoDateTime == "2024-03-01T01:00:00Z")
        #expect(Timestamp(year: 2023, month: 2, day: 29) == nil)
        #expect(Timestamp(year: 1969, month: 12, day: 31)?.dayNumber == -1)
    }
}

@Suite struct BoolParsingTests {
    @Test(arguments: ["true", "True", "TRUE", "yes", "Yes", "1", " true "])
    func trueSpellings(_ text: String) throws {
        #expect(try BoolParsing.parse(text) == true)
    }

    @Test(arguments: ["false", "False", "FALSE", "no", "NO", "0"])
    func falseSpellings(_ text: String) throws {
        #expect(try BoolParsing.parse(text) == false)
    }

    @Test(arguments: ["", "N/A", "None", "null", "no_information", "not_supported"])
    func noValue(_ text: String) throws {
        #expect(try BoolParsing.parse(text) == nil)
    }

    @Test(arguments: ["maybe", "2", "tru", "Ja"])
    func garbageThrows(_ text: String) {
        #expect(throws: ValueError.self) { try BoolParsing.parse(text) }
    }
}

@Suite struct PrincipalKeyTests {
    @Test func objectIdsAreLowerCasedAndUnbraced() {
        #expect(Principal.key(" {A1B2C3D4-0000-0000-0000-00000000000A} ") == "a1b2c3d4-0000-0000-0000-00000000000a")
        #expect(
            RoleDefinition.guid(
                fromDefinitionId:
                    "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7"
            ) == "acdd72a7-3385-48ef-bd42-f606fba81ae7")
    }

    @Test func lastPathSegmentIgnoresTrailingSlashes() {
        let cases = ["/a/b/": "b", "abc": "abc", "///": "", "": "", "/x/ÄRGER": "ÄRGER", "a//": "a"]
        for (text, last) in cases { #expect(String(text[text.lastPathSegmentRange]) == last, "\(text)") }
    }

    /// The byte path must give what splitting Characters on `/` and taking the last part gives.
    @Test(arguments: [
        "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/ACDD72A7-3385-48EF-BD42-F606FBA81AE7/",
        "ACDD72A7-3385-48EF-BD42-F606FBA81AE7", " /a//b// ", "/", "", "//", "{B24988AC-6180-42A0-AB88-20F7382DD24C}",
        "/roleDefinitions/Rôle", "x/Ärger/",
    ])
    func definitionGuidIsTheLastSegment(_ text: String) {
        let trimmed = String(text.trimmingSpaces)
        let reference = Principal.key(trimmed.split(separator: "/").last.map(String.init) ?? trimmed)
        #expect(RoleDefinition.guid(fromDefinitionId: text) == reference)
    }
}

/// The byte-level fast paths every imported cell goes through must agree with the Unicode-aware answers.
@Suite struct ByteFastPathTests {
    @Test(
        arguments: [
            (
                "/subscriptions/x/providers/Microsoft.Authorization/roleAssignments/1",
                "/providers/Microsoft.Authorization", 16
            ),
            ("abcabd", "abd", 3), ("aaab", "aab", 1), ("#EXT#", "#EXT#", 0), ("short", "longer than it", nil),
            ("none here", "#ext#", nil), ("é#ext#", "#ext#", 2),
        ] as [(String, String, Int?)])
    func byteRangeFindsTheFirstOccurrence(_ hay: String, _ needle: String, _ offset: Int?) {
        let found = hay.byteRange(of: needle).map { hay.utf8.distance(from: hay.startIndex, to: $0.lowerBound) }
        #expect(found == offset)
        // The same search inside a substring gives indices of the base string.
        let sub = ("xx" + hay + "yy").dropFirst(2).dropLast(2)
        let inSub = sub.byteRange(of: needle).map { sub.utf8.distance(from: sub.startIndex, to: $0.lowerBound) }
        #expect(inSub == offset)
        if let range = sub.byteRange(of: needle) { #expect(String(sub[range]) == needle) }
    }

    @Test(arguments: [
        "abc-123", "ABC-123", "MiXeD", "ÀÉÎ", "", "already/lower", "@AZ[`az{", "A", "Z",
        "/subscriptions/X/resourceGroups/RG/providers/Microsoft.Web/sites/App-1/providers/Microsoft.Authorization/"
            + "roleAssignments/FB68D389-627E-4392-A4C5-08BF6BD7BF68", "mixed ascii and Ärger",
    ])
    func lowercasedIfNeededMatchesLowercased(_ text: String) {
        #expect(text.lowercasedIfNeeded() == text.lowercased())
    }

    @Test(arguments: [
        "", "a", "abcdefg", "abcdefgh", "abcdefghi", "/subscriptions/0f3961f7-ba7d-45be-84a2-ded76ca82f45/rg", "é",
        "abcdefghé", "abcdefgé", "1234567890123456é", "é1234567890123456",
        String(repeating: "\u{7F}", count: 8), String(repeating: "\u{7F}", count: 16) + "\u{80}",
        "Straße in the middle of a longer text",
    ])
    func isASCIIBytesMatchesTheBytes(_ text: String) {
        #expect(text.isASCIIBytes == text.utf8.allSatisfy { $0 < 0x80 })
        // A bridged or substring-made copy reads the same.
        #expect(String(text[...]).isASCIIBytes == text.utf8.allSatisfy { $0 < 0x80 })
    }

    /// The byte path gives what the String path gives, or leaves the cell to it (nil): never another answer.
    @Test(arguments: [
        "2026-11-09T00:00:00Z", "2026-11-09", "2026-11-09 13:45", "2026-11-09T13:45:10.1234567+02:00",
        "2/6/2024 12:00:00 AM", "12/31/2025 11:59 PM", "31/12/2025 23:59:59", "0001-01-01T00:00:00Z",
        "1/1/0001 12:00:00 AM", "01/01/0001", "2026-13-01", "2026-11-09 ", " 2026-11-09", "2026-11-09x", "n/a",
        "-", "", "2026-11-09T00:00:00Z\u{301}", "１/1/2026", "2/30/2025", "20261109", "7",
    ])
    func datesOnBytesAgreeWithTheStringPath(_ cell: String) {
        for locale in [DateLocale.us, .dayFirst] {
            let expected = Result { () throws(ValueError) in try DateParsing.parseOptional(cell, locale: locale) }
            var text = cell
            let fast = text.withUTF8 { DateParsing.parseOptional(ascii: $0, locale: locale) }
            guard let fast else { continue }
            #expect((try? expected.get()) == fast, "\(cell) \(locale)")
            if case .failure = expected { Issue.record("\(cell): the byte path answered where the String path throws") }
        }
        // Plain ISO and US dates do take the byte path.
        var iso = "2026-11-09T00:00:00Z"
        #expect(iso.withUTF8 { DateParsing.parseOptional(ascii: $0, locale: .us) } != nil)
    }

    @Test func bytePrefixes() {
        #expect("/subscriptions/é/x".hasBytePrefix("/subscriptions/é"))
        #expect(!"/sub".hasBytePrefix("/subscriptions"))
        #expect("/sub".hasBytePrefix(""))
        #expect("".hasBytePrefix(""))
        #expect(!"".hasBytePrefix("u"))
        #expect("upn:someone@example.com".hasBytePrefix("upn:"))
        #expect(!"UPN:someone@example.com".hasBytePrefix("upn:"))
        // Bytes, not characters: "e" + combining acute starts with "e", though the first Character is "é".
        #expect("e\u{301}x".hasBytePrefix("e"))
    }

    @Test(arguments: [
        ("", true), ("  ", true), ("n/a", true), (" N/A ", true), ("\u{00A0}n/a", true), ("-", true), ("none", true),
        ("Null", true), ("no_information", true), ("x", false), ("nobody", false), ("-1", false),
        ("\u{00A0}Reader", false), ("0", false),
    ])
    func noValueSpellings(_ text: String, _ expected: Bool) {
        #expect(NoValue.isNoValue(text) == expected)
        #expect(NoValue.isNoValue(text[...]) == expected)
    }

    @Test func objectIdKeys() {
        #expect(Principal.key("ABCD-ef") == "abcd-ef")
        #expect(Principal.key("{ABCD-EF}") == "abcd-ef")
        #expect(Principal.key(" abcd ") == "abcd")
        #expect(Principal.key("abcd") == "abcd")
        #expect(Principal.key("ÉCOLE") == "école")
    }
}

@Suite struct BackgroundWorkTests {
    struct Failure: Error, Equatable {}

    @Test func valueIsTheWorksResultAndWaitingTwiceIsHarmless() throws {
        let work = BackgroundWork { (1...1000).reduce(0, +) }
        work.wait()
        #expect(try work.value() == 500_500)
        #expect(try work.value() == 500_500)
    }

    @Test func anErrorOfTheWorkIsRethrown() {
        let work = BackgroundWork { () throws -> Int in throw Failure() }
        #expect(throws: Failure.self) { try work.value() }
    }
}
