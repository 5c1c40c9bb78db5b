import Foundation

/// Turns a page's blocks into feature vectors (the layout is `FeatureSet`'s).
public enum FeatureExtractor {
    /// One row per block: shape, structure, position, context, container and hashed lexical features.
    public static func features(of page: SegmentedPage) -> FeatureMatrix {
        features(of: page, rows: 0..<page.blocks.count, context: PageContext(page))
    }

    /// The rows of some blocks only, so a page of a million blocks can be scored in slices with
    /// bounded memory; `context` is the whole page's.
    static func features(of page: SegmentedPage, rows: Range<Int>, context: PageContext) -> FeatureMatrix {
        let n = page.blocks.count
        var matrix = FeatureMatrix(rows: rows.count, columns: FeatureSet.dimension)
        guard !rows.isEmpty else { return matrix }
        let isText = page.format == .text
        // Blocks are reached through pointers: copying a Block would retain its six strings and arrays.
        page.blocks.withUnsafeBufferPointer { blocks in
            matrix.values.withUnsafeMutableBufferPointer { buffer in
                for i in rows {
                    let row = buffer.baseAddress! + (i - rows.lowerBound) * FeatureSet.dimension
                    let block = blocks.baseAddress! + i
                    context.shapes[i].write(to: row, at: FeatureSet.shape)
                    let previous = i > rows.lowerBound ? (block - 1, UnsafePointer(row - FeatureSet.dimension)) : nil
                    writeStructure(block, isText: isText, previous: previous, to: row)
                    writePosition(i, of: n, depth: block.pointee.depth, isText: isText, context: context, to: row)
                    writeContext(i, blocks: blocks, context: context, to: row)
                    context.containers.write(block.pointee.containers, to: row, at: FeatureSet.container)
                    writeLexical(block.pointee.text, scan: context.scans[i], to: row)
                }
            }
        }
        return matrix
    }

    /// Tag index + 1 by the FNV hash of the tag name, and path-tag index + 1 likewise (0: not listed).
    static let tagTable = WordTable(Dictionary(uniqueKeysWithValues: FeatureSet.tags.enumerated().map { (TextScan.hash($1), UInt16($0 + 1)) }))
    static let pathTagTable = WordTable(Dictionary(uniqueKeysWithValues: FeatureSet.pathTags.enumerated().map { (TextScan.hash($1), UInt16($0 + 1)) }))

    /// Tag, path, keyword and hashed class features. `previous` is the block before and its row,
    /// when that row is at hand: neighbouring blocks often share their class tokens (paragraphs of
    /// one article, items of one menu), and then their features are copied instead of recomputed.
    static func writeStructure(_ block: UnsafePointer<Block>, isText: Bool, previous: (UnsafePointer<Block>, UnsafePointer<Float>)?,
                               to row: UnsafeMutablePointer<Float>) {
        let tag = Int(tagTable.value(TextScan.hash(block.pointee.tag)))
        row[FeatureSet.tag + (tag > 0 ? tag - 1 : FeatureSet.tags.count)] = 1
        guard !isText else { return }
        writePathTags(block.pointee.path, to: row)
        writeClassTokens(block.pointee.elementTokens, previous: previous.map { ($0.0.pointee.elementTokens, $0.1) },
                         keywords: FeatureSet.elementKeywords, classes: FeatureSet.elementClasses, salt: 1, to: row)
        writeClassTokens(block.pointee.ancestorTokens, previous: previous.map { ($0.0.pointee.ancestorTokens, $0.1) },
                         keywords: FeatureSet.ancestorKeywords, classes: FeatureSet.ancestorClasses, salt: 2, to: row)
    }

    /// The keyword indicators (from offset `keywords`) and hashed sub-words (from `classes`) of a
    /// group of class tokens, copied from the previous row when that block had the same tokens.
    static func writeClassTokens(_ tokens: [String], previous: ([String], UnsafePointer<Float>)?, keywords: Int, classes: Int,
                                 salt: UInt64, to row: UnsafeMutablePointer<Float>) {
        if let (previousTokens, previousRow) = previous, previousTokens == tokens {
            (row + keywords).update(from: previousRow + keywords, count: FeatureSet.keywords.count)
            (row + classes).update(from: previousRow + classes, count: FeatureSet.classBuckets)
            return
        }
        for token in tokens {
            ClassTokens.analyse(token, keyword: { row[keywords + $0] = 1 }, subword: {
                addHashed($0 ^ salt, buckets: FeatureSet.classBuckets, offset: classes, weight: 1, to: row)
            })
        }
    }

    /// Sets the indicator of every listed tag on the block's tag path (`div>article>p`).
    static func writePathTags(_ path: String, to row: UnsafeMutablePointer<Float>) {
        var hash = TextScan.seed
        for byte in path.utf8 {
            if byte == UInt8(ascii: ">") {
                let k = Int(pathTagTable.value(hash))
                if k > 0 { row[FeatureSet.path + k - 1] = 1 }
                hash = TextScan.seed
            } else {
                hash = (hash ^ UInt64(byte)) &* TextScan.prime
            }
        }
        let last = Int(pathTagTable.value(hash))
        if last > 0 { row[FeatureSet.path + last - 1] = 1 }
    }

    static func writePosition(_ i: Int, of n: Int, depth: Int, isText: Bool, context: PageContext,
                              to row: UnsafeMutablePointer<Float>) {
        let relative = n > 1 ? Float(i) / Float(n - 1) : 0
        let run = context.densestRun
        let distance = i < run.lowerBound ? run.lowerBound - i : (i > run.upperBound ? run.upperBound - i : 0)
        let p = row + FeatureSet.position
        p[0] = relative
        p[1] = relative * relative
        p[2] = Float(distance) / Float(n)
        p[3] = run.contains(i) ? 1 : 0
        p[4] = log1pf(Float(depth))
        p[5] = isText ? 1 : 0
        p[6] = log1pf(Float(n))
    }

    static func writeContext(_ i: Int, blocks: UnsafeBufferPointer<Block>, context: PageContext, to row: UnsafeMutablePointer<Float>) {
        var p = row + FeatureSet.context
        for offset in [-1, 1, -2, 2] {
            let j = i + offset
            // A missing neighbour reads as an empty block (zeros).
            if j >= 0 && j < blocks.count {
                let shape = context.shapes[j]
                p[0] = shape.logChars
                p[1] = shape.linkDensity
                p[2] = shape.stopWordDensity
                p[3] = shape.endsLikeSentence
            }
            p += 4
        }
        var windowWords = 0, windowChars = 0, windowLinks = 0
        for j in max(0, i - 2)...min(blocks.count - 1, i + 2) {
            windowWords += blocks[j].words
            windowChars += blocks[j].chars
            windowLinks += blocks[j].linkChars
        }
        p[0] = Float(blocks[i].chars) / Float(max(1, context.longestChars))
        p[1] = log(Float(context.duplicates[i]))
        p[2] = context.isLaterRepeat[i] ? 1 : 0
        p[3] = i > 0 && context.sameTagAsNext[i - 1] ? 1 : 0
        p[4] = context.sameTagAsNext[i] ? 1 : 0
        p[5] = log1pf(Float(windowWords))
        p[6] = Float(windowLinks) / Float(max(1, windowChars))
    }

    /// Word unigrams and bigrams, and character 4-grams of the block's opening, hashed with a sign;
    /// each group scaled by 1/sqrt(count) so long blocks do not outweigh the rest of the vector.
    static func writeLexical(_ text: String, scan: TextScan, to row: UnsafeMutablePointer<Float>) {
        let words = scan.wordHashes
        if !words.isEmpty {
            let weight = 1 / Float(2 * words.count - 1).squareRoot()
            for (k, word) in words.enumerated() {
                addHashed(word, buckets: FeatureSet.wordBuckets, offset: FeatureSet.words, weight: weight, to: row)
                if k > 0 {
                    addHashed(words[k - 1] &* 0x9E37_79B9_7F4A_7C15 ^ word, buckets: FeatureSet.wordBuckets,
                              offset: FeatureSet.words, weight: weight, to: row)
                }
            }
        }
        var text = text
        text.withUTF8 { bytes in
            let count = min(48, bytes.count)
            guard count >= 4 else { return }
            let weight = 1 / Float(count - 3).squareRoot()
            for k in 0...(count - 4) {
                var h: UInt64 = 0x84222325 ^ 0x5A
                for byte in bytes[k..<k + 4] {
                    h = (h ^ UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)) &* TextScan.prime
                }
                addHashed(h, buckets: FeatureSet.charBuckets, offset: FeatureSet.chars, weight: weight, to: row)
            }
        }
    }

    @inline(__always) static func addHashed(_ hash: UInt64, buckets: Int, offset: Int, weight: Float, to row: UnsafeMutablePointer<Float>) {
        let mixed = hash ^ (hash >> 29) ^ (hash >> 47)
        row[offset + Int(mixed % UInt64(buckets))] += (mixed >> 63) == 0 ? weight : -weight
    }
}
