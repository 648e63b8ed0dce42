import AccessRiskModel
import AccessRiskRegister

/// The 5×5 likelihood × impact matrix (NIST SP 800-30 Table I-2) as a standalone SVG with a count in each cell.
public enum Heatmap {
    /// Fill colours by level, Very Low … Very High.
    static let colours: [RiskLevel: String] = [
        .veryLow: "#2e7d32", .low: "#9ccc65", .moderate: "#fdd835", .high: "#fb8c00", .veryHigh: "#c62828",
    ]

    /// counts[likelihood-1][impact-1]
    public static func counts(of risks: [RegisterRow]) -> [[Int]] {
        var counts = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        for r in risks where r.isPresent {
            counts[min(5, max(1, r.likelihood)) - 1][min(5, max(1, r.impact)) - 1] += 1
        }
        return counts
    }

    public static func svg(counts: [[Int]], title: String) -> String {
        let cell = 90
        let left = 150
        let top = 60
        let width = left + cell * 5 + 30
        let height = top + cell * 5 + 80
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            font-family="Helvetica, Arial, sans-serif" role="img" aria-labelledby="title">
            <title id="title">\(xml(title))</title>
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="\(width / 2)" y="30" text-anchor="middle" font-size="18" font-weight="bold">\(xml(title))</text>

            """
        let names = RiskLevel.allCases.map(\.name)
        for li in 0..<5 {
            let likelihood = RiskLevel(rawValue: 5 - li)!
            let y = top + li * cell
            s +=
                "<text x=\"\(left - 10)\" y=\"\(y + cell / 2 + 5)\" text-anchor=\"end\" font-size=\"13\">"
                + "\(likelihood.name)</text>\n"
            for ii in 0..<5 {
                let impact = RiskLevel(rawValue: ii + 1)!
                let level = RiskMatrix.level(likelihood: likelihood, impact: impact)
                let x = left + ii * cell
                let n = counts[likelihood.rawValue - 1][ii]
                s +=
                    "<g><title>Likelihood \(likelihood.name), impact \(impact.name): level \(level.name), \(n) open"
                    + " risk\(n == 1 ? "" : "s")</title>"
                s +=
                    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(colours[level]!)\""
                    + " stroke=\"#ffffff\" stroke-width=\"2\"/>"
                let textColour = level == .low || level == .moderate ? "#000000" : "#ffffff"
                s +=
                    "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 8)\" text-anchor=\"middle\" font-size=\"24\""
                    + " font-weight=\"\(n > 0 ? "bold" : "normal")\" fill=\"\(textColour)\">\(n)</text></g>\n"
            }
        }
        for ii in 0..<5 {
            s +=
                "<text x=\"\(left + ii * cell + cell / 2)\" y=\"\(top + 5 * cell + 20)\" text-anchor=\"middle\""
                + " font-size=\"13\">\(names[ii])</text>\n"
        }
        s +=
            "<text x=\"\(left + 5 * cell / 2)\" y=\"\(top + 5 * cell + 50)\" text-anchor=\"middle\" font-size=\"15\""
            + " font-weight=\"bold\">Impact</text>\n"
        s +=
            "<text x=\"20\" y=\"\(top + 5 * cell / 2)\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\""
            + " transform=\"rotate(-90 20 \(top + 5 * cell / 2))\">Likelihood</text>\n"
        s += "</svg>\n"
        return s
    }

    static func xml(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if ch.value < 0x20 && ch != "\t" && ch != "\n" { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
