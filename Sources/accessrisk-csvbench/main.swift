// Throughput of the CSV reader on a realistic export, next to `wc -l` on the same file.
//
//     swift run -c release accessrisk-csvbench [--size-mb 100] [--file PATH] [--runs 3] [--keep]
//
// Without `--file` it generates a ~100 MB role-assignment-like CSV (10 columns: GUIDs, quoted "Surname, Given"
// names, ARM scopes, dates, a note column with `""` escapes) in a temporary directory and deletes it afterwards
// unless `--keep` is given. Each measurement is the best of `--runs` runs.

import AccessRiskCSV
import Foundation

struct Options {
    var sizeMB = 100
    var file: String?
    var runs = 3
    var keep = false

    init(_ arguments: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            guard i < arguments.count else { fail("missing value after \(arguments[i - 1])") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--size-mb":
                guard let n = Int(value()) else { fail("--size-mb needs a number") }
                sizeMB = n
            case "--file": file = value()
            case "--runs":
                guard let n = Int(value()) else { fail("--runs needs a number") }
                runs = max(1, n)
            case "--keep": keep = true
            case "-h", "--help":
                print("usage: accessrisk-csvbench [--size-mb N] [--file PATH] [--runs N] [--keep]")
                exit(0)
            default: fail("unknown argument \(arguments[i])")
            }
            i += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("accessrisk-csvbench: \(message)\n".utf8))
    exit(2)
}

/// A small deterministic generator (SplitMix64), so every run benchmarks the same bytes.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Writes the synthetic export and returns its size in bytes.
func generate(path: String, targetBytes: Int) -> Int {
    guard let file = fopen(path, "wb") else { fail("cannot create \(path)") }
    defer { fclose(file) }
    var rng = SplitMix64(state: 42)
    let hex = Array("0123456789abcdef".utf8)
    let surnames = ["Smith", "Müller", "García", "Nguyen", "O'Brien", "Kowalski", "Dubois", "Rossi", "Jones", "Sato"]
    let givens = ["Anna", "Björn", "Chloé", "David", "Eva", "Farid", "Grace", "Hiro", "Ines", "Jamal"]
    let roles = [
        ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"), ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
        ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
        ("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
        ("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6"),
    ]
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 22)
    func guid() {
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { buffer.append(UInt8(ascii: "-")) }
            buffer.append(hex[rng.below(16)])
        }
    }
    func text(_ s: String) { buffer.append(contentsOf: s.utf8) }
    func number(_ n: Int, width: Int) {
        let digits = String(n)
        if digits.count < width { text(String(repeating: "0", count: width - digits.count)) }
        text(digits)
    }
    var written = 0
    let subscriptions = (0..<8).map { _ in
        buffer.removeAll(keepingCapacity: true)
        guid()
        return String(decoding: buffer, as: UTF8.self)
    }
    buffer.removeAll(keepingCapacity: true)
    text(
        "RoleAssignmentId,ObjectId,DisplayName,SignInName,RoleDefinitionName,RoleDefinitionId,Scope,CreatedOn,"
            + "LastSignIn,Note\r\n")
    while written + buffer.count < targetBytes {
        guid()
        text(",")
        guid()
        let surname = surnames[rng.below(surnames.count)]
        let given = givens[rng.below(givens.count)]
        text(",\"\(surname), \(given)\",")
        text("\(given.lowercased()).\(rng.below(10000))@contoso.example,")
        let role = roles[rng.below(roles.count)]
        text("\(role.0),\(role.1),/subscriptions/\(subscriptions[rng.below(subscriptions.count)])")
        switch rng.below(3) {
        case 0: break
        case 1: text("/resourceGroups/rg-app-\(rng.below(500))")
        default:
            text("/resourceGroups/rg-data-\(rng.below(500))/providers/Microsoft.Storage/storageAccounts/st")
            number(rng.below(100_000), width: 6)
        }
        text(",20")
        number(18 + rng.below(8), width: 2)
        text("-")
        number(1 + rng.below(12), width: 2)
        text("-")
        number(1 + rng.below(28), width: 2)
        text("T")
        number(rng.below(24), width: 2)
        text(":")
        number(rng.below(60), width: 2)
        text(":")
        number(rng.below(60), width: 2)
        text("Z,")
        text("\(1 + rng.below(12))/\(1 + rng.below(28))/2025 \(1 + rng.below(12)):\(rng.below(50) + 10):")
        text("\(rng.below(50) + 10) \(rng.below(2) == 0 ? "AM" : "PM"),")
        switch rng.below(4) {
        case 0: text("")
        case 1: text("\"Approved by \"\"\(given) \(surname)\"\" in CHG-\(rng.below(99999))\"")
        case 2: text("\"Break-glass, reviewed quarterly; see \"\"runbook\"\" \(rng.below(1000))\"")
        default: text("Inherited from group \(rng.below(5000))")
        }
        text("\r\n")
        if buffer.count >= 1 << 22 {
            written += fwrite(buffer, 1, buffer.count, file)
            buffer.removeAll(keepingCapacity: true)
        }
    }
    written += fwrite(buffer, 1, buffer.count, file)
    return written
}

/// CPU seconds used so far by this process and by its finished children (`wc`): less sensitive than wall-clock
/// time to the other jobs sharing the machine.
func cpuSeconds() -> Double {
    #if canImport(Glibc)
        let whoList = [__rusage_who_t(RUSAGE_SELF.rawValue), __rusage_who_t(RUSAGE_CHILDREN.rawValue)]
    #else
        let whoList = [RUSAGE_SELF, RUSAGE_CHILDREN]
    #endif
    var total = 0.0
    for who in whoList {
        var usage = rusage()
        getrusage(who, &usage)
        total += Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        total += Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
    }
    return total
}

/// The best wall-clock and the best CPU time of `runs` calls of `body`, with the value of the last call.
func best<T>(_ runs: Int, _ body: () throws -> T) rethrows -> (seconds: Double, cpu: Double, value: T) {
    var bestSeconds = Double.infinity
    var bestCPU = Double.infinity
    var value: T?
    for _ in 0..<runs {
        let cpuStart = cpuSeconds()
        let start = ContinuousClock.now
        value = try body()
        let elapsed = ContinuousClock.now - start
        bestCPU = min(bestCPU, cpuSeconds() - cpuStart)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        bestSeconds = min(bestSeconds, seconds)
    }
    return (bestSeconds, bestCPU, value!)
}

struct Tally {
    var rows = 0
    var fields = 0
    var utf8Bytes = 0
}

func readMaterialising(_ path: String) throws -> Tally {
    var tally = Tally()
    let reader = try CSVReader(path: path)
    try reader.read { row in
        tally.rows += 1
        let count = row.count
        tally.fields += count
        for i in 0..<count {
            let value: String = row[i]
            tally.utf8Bytes &+= value.utf8.count
        }
    }
    return tally
}

func readCounting(_ path: String) throws -> Tally {
    var tally = Tally()
    let reader = try CSVReader(path: path)
    try reader.read { row in
        tally.rows += 1
        tally.fields += row.count
    }
    return tally
}

func wcLines(_ path: String) throws -> Int {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/wc")
    process.arguments = ["-l", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    return Int(text.split(separator: " ").first ?? "") ?? -1
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
var path: String
var temporaryDirectory: String?
if let file = options.file {
    path = file
} else {
    let directory = NSTemporaryDirectory() + "accessrisk-csvbench-\(getpid())"
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
        fail("cannot create \(directory): \(error)")
    }
    temporaryDirectory = directory
    path = directory + "/assignments.csv"
    let start = ContinuousClock.now
    let size = generate(path: path, targetBytes: options.sizeMB * 1_000_000)
    print("generated \(path): \(size) bytes in \(ContinuousClock.now - start)")
}
defer {
    if let temporaryDirectory, !options.keep { try? FileManager.default.removeItem(atPath: temporaryDirectory) }
}

guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
    let bytes = (attributes[.size] as? NSNumber)?.intValue, bytes > 0
else {
    fail("\(path): not found or empty")
}
let megabytes = Double(bytes) / 1_000_000

func report(_ name: String, _ seconds: Double, _ cpu: Double, _ detail: String) {
    print(
        name.padding(toLength: 32, withPad: " ", startingAt: 0)
            + String(
                format: "%7.3f s %8.1f MB/s | cpu %7.3f s %8.1f MB/s | ", seconds, megabytes / seconds, cpu,
                megabytes / cpu) + detail)
}

print("file: \(path), \(bytes) bytes (\(String(format: "%.1f", megabytes)) MB), best of \(options.runs)")
print("                                   wall-clock              | CPU time (user + sys)")
do {
    let materialised = try best(options.runs) { try readMaterialising(path) }
    let counted = try best(options.runs) { try readCounting(path) }
    let wc = try best(options.runs) { try wcLines(path) }
    report(
        "reader, every field a String", materialised.seconds, materialised.cpu,
        "\(materialised.value.rows) rows, \(materialised.value.fields) fields")
    report("reader, count rows and fields", counted.seconds, counted.cpu, "\(counted.value.rows) rows")
    report("wc -l", wc.seconds, wc.cpu, "\(wc.value) lines")
} catch {
    fail("\(error)")
}
