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
        var classTokens = ClassTokenCache()
        // Blocks are reached through pointers: copying a Block would retain its six strings and arrays.
        page.blocks.withUnsafeBufferPointer { blocks in
            matrix.values.withUnsafeMutableBufferPointer { buffer in
                for i in rows {
                    let row = buffer.baseAddress! + (i - rows.lowerBound) * FeatureSet.dimension
                    let block = blocks.baseAddress! + i
                    context.shapes[i].write(to: row, at: FeatureSet.shape)
                    writeStructure(block, isText: isText, classTokens: &classTokens, to: row)
                    writePosition(i, of: n, depth: block.pointee.depth, isText: isText, context: context, to: row)
                    writeContext(i, blocks: blocks, context: context, to: row)
                    context.containers.write(block.pointee.containers, to: row, at: FeatureSet.container)
                    context.templates.write(block.pointee.signatures, to: row, at: FeatureSet.template)
                    writeLexical(block.pointee.text, scan: context.scans[i], to: row)
                }
            }
        }
        return matrix
    }

    /// Tag index + 1 by the FNV hash of the tag name, and path-tag index + 1 likewise (0: not listed).
    static let tagTable = WordTable(Dictionary(uniqueKeysWithValues: FeatureSet.tags.enumerated().map { (TextScan.hash($1), UInt16($0 + 1)) }))
    static let pathTagTable = WordTable(Dictionary(uniqueKeysWithValues: FeatureSet.pathTags.enumerated().map { (TextScan.hash($1), UInt16($0 + 1)) }))

    /// Tag, path, keyword and hashed class features.
    static func writeStructure(_ block: UnsafePointer<Block>, isText: Bool, classTokens: inout ClassTokenCache,
                               to row: UnsafeMutablePointer<Float>) {
        let tag = Int(tagTable.value(TextScan.hash(block.pointee.tag)))
        row[FeatureSet.tag + (tag > 0 ? tag - 1 : FeatureSet.tags.count)] = 1
        guard !isText else { return }
        writePathTags(block.pointee.path, to: row)
        let element = classTokens.analysis(of: block.pointee.elementTokens)
        ClassTokenCache.write(element.keywords, to: row, at: FeatureSet.elementKeywords)
        for j in element.hashes {
            addHashed(classTokens.hashes[j] ^ 1, buckets: FeatureSet.classBuckets, offset: FeatureSet.elementClasses, weight: 1, to: row)
        }
        let ancestors = classTokens.analysis(of: block.pointee.ancestorTokens)
        ClassTokenCache.write(ancestors.keywords, to: row, at: FeatureSet.ancestorKeywords)
        for j in ancestors.hashes {
            addHashed(classTokens.hashes[j] ^ 2, buckets: FeatureSet.classBuckets, offset: FeatureSet.ancestorClasses, weight: 1, to: row)
        }
        // Outer ancestors give keywords only: far-away class names are mostly site-specific.
        ClassTokenCache.write(classTokens.analysis(of: block.pointee.outerTokens).keywords, to: row, at: FeatureSet.outerKeywords)
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
        p[4] = LogCount.log1p(depth)
        p[5] = isText ? 1 : 0
        p[6] = LogCount.log1p(n)
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
                p[4] = max(shape.hasTime, shape.hasDate)
            }
            p += 5
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
        p[5] = LogCount.log1p(windowWords)
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
