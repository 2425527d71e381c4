/// Glyph outlines from an OpenType `CFF ` table: Type 2 charstrings, run by a small interpreter.
///
/// Reads the header, the Top DICT (CharStrings and Private), the Private DICT (local Subrs) and
/// the global subroutines. Hints are parsed only to skip them (hintmask lengths depend on the
/// stem count). CID-keyed fonts (with FDArray/FDSelect) are not read: none of Debian's
/// handwriting fonts is one.
import FormVision
struct CFFOutlines: Sendable {
    let cff: FontBytes
    let charStrings: [Range<Int>]
    let globalSubrs: [Range<Int>]
    let localSubrs: [Range<Int>]

    init(_ cff: FontBytes) throws(FontError) {
        self.cff = cff
        let headerSize = try cff.u8(2)
        let names = try Self.index(cff, at: headerSize)
        let topDicts = try Self.index(cff, at: names.end)
        let strings = try Self.index(cff, at: topDicts.end)
        let globals = try Self.index(cff, at: strings.end)
        guard let topRange = topDicts.items.first else { throw .malformed(table: "CFF ", reason: "no Top DICT") }
        let top = try Self.dict(cff, topRange)
        if top[1230] != nil { throw .unsupported(reason: "CID-keyed CFF font") } // ROS = 12 30
        guard let charStringsOffset = top[17]?.first else { throw .malformed(table: "CFF ", reason: "no CharStrings") }
        charStrings = try Self.index(cff, at: Int(charStringsOffset)).items
        globalSubrs = globals.items
        var local: [Range<Int>] = []
        if let priv = top[18], priv.count == 2 {
            let size = Int(priv[0]), offset = Int(priv[1])
            try cff.check(offset, size)
            let privateDict = try Self.dict(cff, offset ..< offset + size)
            if let subrs = privateDict[19]?.first { local = try Self.index(cff, at: offset + Int(subrs)).items }
        }
        localSubrs = local
    }

    // MARK: INDEX and DICT

    /// An INDEX: a count, an offset size, `count + 1` offsets (from the byte before the data) and the data.
    static func index(_ cff: FontBytes, at start: Int) throws(FontError) -> (items: [Range<Int>], end: Int) {
        let count = try cff.u16(start)
        if count == 0 { return ([], start + 2) }
        let size = try cff.u8(start + 2)
        guard (1 ... 4).contains(size) else { throw .malformed(table: "CFF ", reason: "INDEX offset size \(size)") }
        let base = start + 3 + (count + 1) * size - 1
        var items: [Range<Int>] = []
        items.reserveCapacity(count)
        var previous = try cff.unsigned(start + 3, size: size)
        for i in 1 ... count {
            let next = try cff.unsigned(start + 3 + i * size, size: size)
            guard next >= previous, previous >= 1 else { throw .malformed(table: "CFF ", reason: "INDEX offsets out of order") }
            items.append(base + previous ..< base + next)
            previous = next
        }
        let end = base + previous
        try cff.check(start, end - start)
        return (items, end)
    }

    /// A DICT: operands then an operator, repeated. Keys are operator numbers, two-byte
    /// operators as 1200 + second byte.
    static func dict(_ cff: FontBytes, _ range: Range<Int>) throws(FontError) -> [Int: [Double]] {
        var result: [Int: [Double]] = [:]
        var operands: [Double] = []
        var i = range.lowerBound
        while i < range.upperBound {
            let b0 = try cff.u8(i)
            switch b0 {
            case 0 ... 21:
                var key = b0
                i += 1
                if b0 == 12 { key = 1200 + (try cff.u8(i)); i += 1 }
                result[key] = operands
                operands = []
            case 28: operands.append(Double(try cff.i16(i + 1))); i += 3
            case 29: operands.append(Double(Int32(truncatingIfNeeded: try cff.u32(i + 1)))); i += 5
            case 30: // a real number in nibbles; only its extent matters here
                i += 1
                var text = ""
                nibbles: while i < range.upperBound {
                    let byte = try cff.u8(i)
                    i += 1
                    for nibble in [byte >> 4, byte & 15] {
                        switch nibble {
                        case 0 ... 9: text += String(nibble)
                        case 0xA: text += "."
                        case 0xB: text += "E"
                        case 0xC: text += "E-"
                        case 0xE: text += "-"
                        case 0xF: break nibbles
                        default: break
                        }
                    }
                }
                operands.append(Double(text) ?? 0)
            case 32 ... 246: operands.append(Double(b0 - 139)); i += 1
            case 247 ... 250: operands.append(Double((b0 - 247) * 256 + (try cff.u8(i + 1)) + 108)); i += 2
            case 251 ... 254: operands.append(Double(-(b0 - 251) * 256 - (try cff.u8(i + 1)) - 108)); i += 2
            default: throw .malformed(table: "CFF ", reason: "DICT byte \(b0)")
            }
        }
        return result
    }

    /// Subroutine numbers in charstrings are biased by the INDEX size.
    static func bias(_ count: Int) -> Int { count < 1240 ? 107 : count < 33900 ? 1131 : 32768 }

    // MARK: Charstrings

    func contours(glyph: Int) throws(FontError) -> [[Point]] {
        guard glyph < charStrings.count else { throw .malformed(table: "CFF ", reason: "no charstring for glyph \(glyph)") }
        var machine = CharStringMachine(outlines: self)
        try machine.run(charStrings[glyph], depth: 0)
        machine.closeContour()
        return machine.contours
    }
}

/// The Type 2 charstring interpreter's state: the operand stack, the pen and the contours drawn.
private struct CharStringMachine {
    let outlines: CFFOutlines
    var stack: [Double] = []
    var contours: [[Point]] = []
    var current: [Point] = []
    var pen = Point.zero
    var stems = 0
    var sawWidth = false
    var ended = false
    var operations = 0

    init(outlines: CFFOutlines) { self.outlines = outlines }

    /// Subroutines call each other; the format allows 10 levels.
    static let maximumDepth = 10
    /// Bytes interpreted per glyph before a charstring is taken as a loop in a broken font; a
    /// handwritten glyph needs a few thousand.
    static let maximumOperations = 200_000

    mutating func closeContour() {
        if current.count > 1, current.last == current.first { current.removeLast() }
        if current.count >= 3 { contours.append(current) }
        current = []
    }

    mutating func moveTo(_ dx: Double, _ dy: Double) {
        closeContour()
        pen = pen + Point(dx, dy)
        current = [pen]
    }

    mutating func lineTo(_ dx: Double, _ dy: Double) {
        pen = pen + Point(dx, dy)
        current.append(pen)
    }

    mutating func curveTo(_ dx1: Double, _ dy1: Double, _ dx2: Double, _ dy2: Double, _ dx3: Double, _ dy3: Double) {
        let c0 = pen + Point(dx1, dy1), c1 = c0 + Point(dx2, dy2), end = c1 + Point(dx3, dy3)
        flattenCubic(pen, c0, c1, end, into: &current)
        pen = end
    }

    /// The first stack-clearing operator may carry the glyph's width as an extra first operand.
    mutating func dropWidth(ifMoreThan expected: Int, even: Bool = false) {
        guard !sawWidth else { return }
        sawWidth = true
        let extra = even ? stack.count % 2 == 1 : stack.count > expected
        if extra, !stack.isEmpty { stack.removeFirst() }
    }

    mutating func run(_ range: Range<Int>, depth: Int) throws(FontError) {
        guard depth <= Self.maximumDepth else { throw .malformed(table: "CFF ", reason: "subroutines nested too deeply") }
        let cff = outlines.cff
        var i = range.lowerBound
        while i < range.upperBound, !ended {
            let b0 = try cff.u8(i)
            i += 1
            operations += 1
            guard operations <= Self.maximumOperations else { throw .malformed(table: "CFF ", reason: "charstring does not end") }
            switch b0 {
            case 32 ... 246: stack.append(Double(b0 - 139))
            case 247 ... 250: stack.append(Double((b0 - 247) * 256 + (try cff.u8(i)) + 108)); i += 1
            case 251 ... 254: stack.append(Double(-(b0 - 251) * 256 - (try cff.u8(i)) - 108)); i += 1
            case 28: stack.append(Double(try cff.i16(i))); i += 2
            case 255: stack.append(Double(Int32(truncatingIfNeeded: try cff.u32(i))) / 65536); i += 4
            case 1, 3, 18, 23: // hstem, vstem, hstemhm, vstemhm
                dropWidth(ifMoreThan: 0, even: true)
                stems += stack.count / 2
                stack = []
            case 19, 20: // hintmask, cntrmask: pending operands are an implied vstem
                dropWidth(ifMoreThan: 0, even: true)
                stems += stack.count / 2
                stack = []
                i += (stems + 7) / 8
            case 21: // rmoveto
                dropWidth(ifMoreThan: 2)
                try need(2)
                moveTo(stack[0], stack[1]); stack = []
            case 22: // hmoveto
                dropWidth(ifMoreThan: 1)
                try need(1)
                moveTo(stack[0], 0); stack = []
            case 4: // vmoveto
                dropWidth(ifMoreThan: 1)
                try need(1)
                moveTo(0, stack[0]); stack = []
            case 5: // rlineto
                var k = 0
                while k + 1 < stack.count { lineTo(stack[k], stack[k + 1]); k += 2 }
                stack = []
            case 6, 7: // hlineto, vlineto: alternating
                var horizontal = b0 == 6
                for value in stack {
                    if horizontal { lineTo(value, 0) } else { lineTo(0, value) }
                    horizontal.toggle()
                }
                stack = []
            case 8: // rrcurveto
                var k = 0
                while k + 5 < stack.count {
                    curveTo(stack[k], stack[k + 1], stack[k + 2], stack[k + 3], stack[k + 4], stack[k + 5]); k += 6
                }
                stack = []
            case 24: // rcurveline
                var k = 0
                while k + 5 < stack.count - 2 {
                    curveTo(stack[k], stack[k + 1], stack[k + 2], stack[k + 3], stack[k + 4], stack[k + 5]); k += 6
                }
                if k + 1 < stack.count { lineTo(stack[k], stack[k + 1]) }
                stack = []
            case 25: // rlinecurve
                var k = 0
                while k + 1 < stack.count - 6 { lineTo(stack[k], stack[k + 1]); k += 2 }
                if k + 5 < stack.count { curveTo(stack[k], stack[k + 1], stack[k + 2], stack[k + 3], stack[k + 4], stack[k + 5]) }
                stack = []
            case 26: // vvcurveto: [dx1] {dya dxb dyb dyc}+
                var k = 0, dx1 = 0.0
                if stack.count % 4 == 1 { dx1 = stack[0]; k = 1 }
                while k + 3 < stack.count {
                    curveTo(dx1, stack[k], stack[k + 1], stack[k + 2], 0, stack[k + 3]); dx1 = 0; k += 4
                }
                stack = []
            case 27: // hhcurveto: [dy1] {dxa dxb dyb dxc}+
                var k = 0, dy1 = 0.0
                if stack.count % 4 == 1 { dy1 = stack[0]; k = 1 }
                while k + 3 < stack.count {
                    curveTo(stack[k], dy1, stack[k + 1], stack[k + 2], stack[k + 3], 0); dy1 = 0; k += 4
                }
                stack = []
            case 30, 31: // vhcurveto, hvcurveto: alternating tangents, optional last df
                var horizontal = b0 == 31
                var k = 0
                while k + 3 < stack.count {
                    let last = stack.count - k == 5 ? stack[k + 4] : 0
                    if horizontal {
                        curveTo(stack[k], 0, stack[k + 1], stack[k + 2], last, stack[k + 3])
                    } else {
                        curveTo(0, stack[k], stack[k + 1], stack[k + 2], stack[k + 3], last)
                    }
                    horizontal.toggle()
                    k += 4
                }
                stack = []
            case 10, 29: // callsubr, callgsubr
                guard let number = stack.popLast() else { throw .malformed(table: "CFF ", reason: "call with an empty stack") }
                let subrs = b0 == 10 ? outlines.localSubrs : outlines.globalSubrs
                let index = Int(number) + CFFOutlines.bias(subrs.count)
                guard subrs.indices.contains(index) else { throw .malformed(table: "CFF ", reason: "subroutine \(index)") }
                try run(subrs[index], depth: depth + 1)
            case 11: // return
                return
            case 14: // endchar
                dropWidth(ifMoreThan: 0, even: false)
                closeContour()
                ended = true
            case 12:
                let b1 = try cff.u8(i)
                i += 1
                try escape(b1)
            default:
                throw .malformed(table: "CFF ", reason: "charstring operator \(b0)")
            }
        }
    }

    func need(_ count: Int) throws(FontError) {
        guard stack.count >= count else { throw .malformed(table: "CFF ", reason: "charstring stack underflow") }
    }

    /// The flex operators (12 34–37); the old arithmetic operators are not used by these fonts.
    mutating func escape(_ op: Int) throws(FontError) {
        let s = stack
        switch op {
        case 35: // flex: two curves and a flex depth
            try need(12)
            curveTo(s[0], s[1], s[2], s[3], s[4], s[5]); curveTo(s[6], s[7], s[8], s[9], s[10], s[11])
        case 34: // hflex: dx1 dx2 dy2 dx3 dx4 dx5 dx6, back to the starting height
            try need(7)
            curveTo(s[0], 0, s[1], s[2], s[3], 0); curveTo(s[4], 0, s[5], -s[2], s[6], 0)
        case 36: // hflex1: dx1 dy1 dx2 dy2 dx3 dx4 dx5 dy5 dx6, back to the starting height
            try need(9)
            curveTo(s[0], s[1], s[2], s[3], s[4], 0); curveTo(s[5], 0, s[6], s[7], s[8], -(s[1] + s[3] + s[7]))
        case 37: // flex1: the last coordinate is whichever of dx or dy moved more
            try need(11)
            let start = pen
            curveTo(s[0], s[1], s[2], s[3], s[4], s[5])
            let c0 = pen + Point(s[6], s[7]), c1 = c0 + Point(s[8], s[9])
            let d = c1 - start
            let end = abs(d.x) > abs(d.y) ? Point(c1.x + s[10], start.y) : Point(start.x, c1.y + s[10])
            flattenCubic(pen, c0, c1, end, into: &current)
            pen = end
        default:
            throw .unsupported(reason: "charstring operator 12 \(op)")
        }
        stack = []
    }
}
