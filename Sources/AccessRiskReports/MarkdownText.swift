import Foundation

/// Escaping for text that goes into Markdown, so that an attacker-controlled display name cannot break a table,
/// start a heading, inject HTML or a link.
public enum MarkdownText {
    /// Text for a table cell or an inline run: `|` and Markdown punctuation escaped, HTML brackets as entities,
    /// line breaks as `<br>`.
    public static func cell(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var previousWasCR = false
        for ch in text.unicodeScalars {
            switch ch {
            case "\r":
                out += "<br>"
                previousWasCR = true
                continue
            case "\n":
                if !previousWasCR { out += "<br>" }
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "`": out += "\\`"
            case "*": out += "\\*"
            case "_": out += "\\_"
            case "[": out += "\\["
            case "]": out += "\\]"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "#": out += "\\#"
            case "!": out += "\\!"
            case "~": out += "\\~"
            case "\t": out += " "
            default:
                if ch.properties.generalCategory == .control || ch.properties.generalCategory == .format {
                    continue
                }
                out.unicodeScalars.append(ch)
            }
            previousWasCR = false
        }
        // A leading `-`, `+` or `=` could start a list or a setext heading in a paragraph.
        if let first = out.first, first == "-" || first == "+" || first == "=" { out = "\\" + out }
        return out
    }

    /// Text as inline code, for ids and scopes: backticks are replaced so the span cannot be closed early.
    public static func code(_ text: String) -> String {
        if text.isEmpty { return "" }
        // Ids and scopes rarely hold any of the four characters replaced below: then the text goes in as it is (the
        // replacements went through Foundation four times for each of the assessment's hundred thousand ids).
        if !text.utf8.contains(where: { $0 == 0x60 || $0 == 0x7C || $0 == 0x0D || $0 == 0x0A }) {
            return "`" + text + "`"
        }
        let safe = text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return "`" + safe + "`"
    }
}
