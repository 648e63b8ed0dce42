/// How a type name recorded by an upstream scanner maps to an information type of the policy (SPEC §3.5):
/// the SQL information type names and GUIDs themselves, Microsoft Purview classifications
/// (`MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER`), Amazon Macie `sensitiveData` categories
/// (`PERSONAL_INFORMATION`, `FINANCIAL_INFORMATION`, `CREDENTIALS`, `CUSTOM_IDENTIFIER`), Macie detection types
/// (`USA_SOCIAL_SECURITY_NUMBER`, `EMAIL_ADDRESS`) and Macie finding types (`SensitiveData:S3Object/Personal`).
enum RecordedTypeMapping {
    /// Keyword rules on the words of a scanner name, first match wins: specific types before broad ones, and
    /// Networking (IP/MAC address) before Contact Info (address).
    static let keywordRules: [(words: [[String]], type: String)] = [
        ([["social", "security"], ["ssn"], ["sin"], ["socialsecuritynumber"]], "SSN"),
        (
            [["credit", "card"], ["debit", "card"], ["card"], ["creditcard"], ["creditcardnumber"], ["cvv"]],
            "Credit Card"
        ),
        ([["iban"], ["swift"], ["aba"], ["routing"], ["bank"], ["banking"]], "Banking"),
        ([["ip", "address"], ["ipaddress"], ["ip"], ["mac", "address"], ["macaddress"]], "Networking"),
        ([["birth"], ["dob"], ["birthdate"], ["dateofbirth"]], "Date Of Birth"),
        (
            [
                ["health"], ["medical"], ["medication"], ["patient"], ["prescription"], ["diagnosis"], ["icd"],
                ["drug"], ["hipaa"],
            ], "Health"
        ),
        (
            [
                ["password"], ["credential"], ["credentials"], ["secret"], ["token"], ["key"],
                ["connection", "string"],
                ["connectionstring"], ["certificate"],
            ], "Credentials"
        ),
        (
            [
                ["passport"], ["driver"], ["drivers"], ["driving"], ["national", "id"], ["identification"],
                ["identity", "card"], ["tax"], ["itin"], ["voter"], ["nino"], ["nhs", "number"],
            ], "National ID"
        ),
        (
            [
                ["email"], ["phone"], ["address"], ["city"], ["street"], ["zip"], ["postal"], ["fax"], ["state"],
                ["country"], ["county"],
            ],
            "Contact Info"
        ),
        ([["name"], ["surname"], ["firstname"], ["lastname"], ["fullname"]], "Name"),
        (
            [["financial"], ["account", "number"], ["currency"], ["amount"], ["invoice"], ["payment"], ["finance"]],
            "Financial"
        ),
        // Categories: Macie PERSONAL_INFORMATION / S3Object/Personal and Purview MICROSOFT.PERSONAL.* are personal
        // data (GDPR); MICROSOFT.GOVERNMENT.* are government ids; MICROSOFT.SECURITY.* are secrets.
        ([["personal"]], "Name"),
        ([["government"]], "National ID"),
        ([["security"]], "Credentials"),
        ([["custom"], ["customidentifier"], ["multiple"]], "Other"),
    ]

    /// The lower-cased words of a scanner name (split on anything not a letter or digit).
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Whether the name comes from a scanner namespace whose unknown names are still sensitive findings
    /// (Purview `MICROSOFT.*`, Macie finding types and categories): those map to `Other` when nothing else fits.
    static func isScannerName(_ words: [String]) -> Bool {
        guard let first = words.first else { return false }
        return first == "microsoft" || first == "sensitivedata" || words == ["custom", "identifier"]
    }

    /// The information type name for a recorded scanner name by keyword, or nil.
    static func keywordType(_ text: String) -> String? {
        let w = words(text)
        guard !w.isEmpty else { return nil }
        for rule in keywordRules {
            for phrase in rule.words where contains(w, phrase) { return rule.type }
        }
        return isScannerName(w) ? InformationType.other : nil
    }

    /// Whether `phrase` occurs in `words` as consecutive words.
    private static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard phrase.count <= words.count else { return false }
        for start in 0...(words.count - phrase.count) where words[start] == phrase[0] {
            if phrase.count == 1 || Array(words[start..<(start + phrase.count)]) == phrase { return true }
        }
        return false
    }
}
