/// The style sheet and script every visual report carries inline (`VisualReport`), so that the file
/// opens from disk with no network.
enum VisualReportAssets {
    /// Label colours (L0 editorial ... L4 comment, `Label.allCases` order), page list and block view.
    static let style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:0 1rem 4rem;color:#1d1d1d}
        header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:.4rem 0;z-index:2}
        header h1{font-size:1.2rem;margin:.2rem 0}.hint{color:#666;font-size:.85rem;margin:.2rem 0}
        .chip{display:inline-block;border-radius:.6rem;padding:0 .5rem;font-size:.8rem;margin-right:.2rem}
        .L0{background:#dff3e0}.L1{background:#ececec}.L2{background:#ffe2bf}.L3{background:#eadcff}.L4{background:#d9e8fb}
        details.page{border-bottom:1px solid #e4e4e4;scroll-margin-top:7rem}.b{scroll-margin-top:7rem}summary{cursor:pointer;padding:.3rem 0}
        summary .n{color:#888;display:inline-block;min-width:2.5rem}summary .id{font-family:monospace;margin-right:.5rem}
        .f1{font-size:.8rem;color:#333;margin-left:.4rem}.f1.misfire{color:#b00020;font-weight:bold}
        .miss-count{font-size:.8rem;color:#b00020;margin-left:.4rem}
        .blocks{padding:.3rem 0 1rem}
        .b{position:relative;margin:.15rem 0;padding:.2rem .5rem .35rem;border-radius:.25rem;cursor:pointer;white-space:pre-wrap}
        .b .bar{position:absolute;left:0;bottom:0;height:3px;background:#2e7d32;border-radius:0 2px 2px 0}
        .b .tag{font:.7rem monospace;color:#777;margin-right:.4rem}
        .b.miss{outline:2px solid #b00020}.b .gold{font-size:.75rem;color:#b00020;margin-left:.5rem;font-weight:bold}
        h1.b,h2.b,h3.b,h4.b,h5.b,h6.b{line-height:1.25}h1.b{font-size:1.6rem}h2.b{font-size:1.35rem}h3.b{font-size:1.15rem}
        h4.b,h5.b,h6.b{font-size:1rem}.b.li{padding-left:1.4rem}.b.li::before{content:"\\2022";position:absolute;left:.55rem}
        .b.quote{border-left:3px solid #aaa}.b.pre{font-family:monospace}
        body.only-miss .b:not(.miss){display:none}
        .detail{margin:.1rem 0 .6rem 1rem;padding:.4rem .6rem;border:1px solid #ccc;border-radius:.25rem;font-size:.85rem;background:#fafafa;cursor:auto}
        .detail table{border-collapse:collapse;margin:.3rem 0}.detail td,.detail th{padding:.05rem .6rem .05rem 0;text-align:left}
        .detail .pos{color:#1b5e20}.detail .neg{color:#b00020}.detail code{font-size:.8rem}
        .figures{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;margin:1rem 0}
        .figures table{border-collapse:collapse}.figures td,.figures th{padding:.1rem .7rem .1rem 0;text-align:left}
        .figures tr.sum td{border-top:1px solid #ccc}.curve svg{max-width:100%;height:auto}

        """

    /// Draws a page's blocks when it is opened and a block's explanation when it is clicked; the
    /// legend's boxes hide labels. `#page=N` in the address opens page N (from 1), `&block=M` its block M's
    /// explanation (from 0).
    static let script = """
        "use strict";
        const meta = JSON.parse(document.getElementById("meta").textContent);
        const fixed = (v, d) => (v === null || v === undefined) ? "" : Number(v).toFixed(d);
        const esc = s => String(s).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\"": "&quot;"}[c]));
        const editorial = meta.classes.indexOf("editorial");

        function elementFor(tag) {
          if (/^h[1-6]$/.test(tag)) return [tag, ""];
          if (tag === "li" || tag === "dt" || tag === "dd") return ["div", " li"];
          if (tag === "blockquote") return ["div", " quote"];
          if (tag === "pre") return ["div", " pre"];
          return ["div", ""];
        }

        function render(details) {
          if (details.dataset.drawn) return;
          details.dataset.drawn = "1";
          const page = JSON.parse(document.getElementById("d" + details.dataset.n).textContent);
          const box = details.querySelector(".blocks");
          const fragment = document.createDocumentFragment();
          page.blocks.forEach((block, i) => {
            const [name, extra] = page.html ? elementFor(block.tag) : ["div", ""];
            const el = document.createElement(name);
            const miss = block.g !== undefined && block.g !== block.l;
            el.className = "b L" + block.l + extra + (miss ? " miss" : "");
            el.dataset.i = i;
            el.dataset.label = meta.labels[block.l];
            el.title = meta.labels[block.l] + ", editorial probability " + fixed(editorial >= 0 ? block.p[editorial] : 0, 2) + ". Click for why.";
            const bar = document.createElement("span");
            bar.className = "bar";
            bar.style.width = (100 * (editorial >= 0 ? block.p[editorial] : 0)) + "%";
            el.appendChild(bar);
            const tag = document.createElement("span");
            tag.className = "tag";
            tag.textContent = page.html ? block.tag : "line " + (i + 1);
            el.appendChild(tag);
            el.appendChild(document.createTextNode(block.t));
            if (miss) {
              const gold = document.createElement("span");
              gold.className = "gold";
              gold.textContent = "gold: " + meta.labels[block.g];
              el.appendChild(gold);
            }
            el.addEventListener("click", () => toggleDetail(el, block, page));
            fragment.appendChild(el);
          });
          box.appendChild(fragment);
        }

        function probabilityRows(block) {
          const rows = [["final", block.p]];
          if (block.r) rows.unshift(["regression", block.r], ["sequence pass", block.s]);
          return "<tr><th></th>" + meta.classes.map(c => "<th>" + c + "</th>").join("") + "</tr>" +
            rows.map(([name, values]) => "<tr><td>" + name + "</td>" + values.map(v => "<td>" + fixed(v, 3) + "</td>").join("") + "</tr>").join("");
        }

        function terms(list, cls) {
          return list.map(([f, value, contribution]) => "<tr><td><code>" + esc(meta.features[f]) + "</code></td><td>" + value +
            "</td><td class=\\"" + cls + "\\">" + (contribution > 0 ? "+" : "") + contribution + "</td></tr>").join("");
        }

        function toggleDetail(el, block, page) {
          const next = el.nextElementSibling;
          if (next && next.classList.contains("detail")) { next.remove(); return; }
          const d = document.createElement("div");
          d.className = "detail";
          let html = "<div><b>" + meta.labels[block.l] + "</b>" + (block.g !== undefined ? " (gold: " + meta.labels[block.g] + ")" : "") +
            " &middot; tag path <code>" + esc(page.paths[block.pa] || "-") + "</code>" + (block.cls ? " &middot; classes <code>" + esc(block.cls) + "</code>" : "") + "</div>";
          html += "<table>" + probabilityRows(block) + "</table>";
          const x = block.x;
          if (x) {
            html += "<div>Against <b>" + meta.labels[x.a] + "</b>: logit margin " + fixed(x.m, 3) + " = bias " + fixed(x.b, 3) +
              " + the features below + other features " + fixed(x.o, 3) + "</div>";
            html += "<table><tr><th>feature</th><th>value</th><th>contribution</th></tr>" + terms(x.up, "pos") + terms(x.dn, "neg") + "</table>";
            html += "<div>Editorial threshold " + fixed(x.th, 2) + (x.in === null ? "" : x.in ? " &middot; inside the chosen main region" : " &middot; outside the chosen main region") +
              (x.ru.length ? " &middot; output rules: " + x.ru.join(", ") : "") + "</div>";
          }
          d.innerHTML = html;
          el.after(d);
        }

        document.querySelectorAll("details.page").forEach(d => d.addEventListener("toggle", () => { if (d.open) render(d); }));
        document.querySelectorAll(".legend input[data-label]").forEach(box =>
          box.addEventListener("change", () => document.body.classList.toggle("hide-L" + box.dataset.label, !box.checked)));
        const onlyMiss = document.getElementById("only-miss");
        if (onlyMiss) onlyMiss.addEventListener("change", () => document.body.classList.toggle("only-miss", onlyMiss.checked));
        const wanted = /#page=(\\d+)(?:&block=(\\d+))?/.exec(location.hash);
        const pages = document.querySelectorAll("details.page");
        const first = wanted ? pages[Number(wanted[1]) - 1] : (pages.length === 1 ? pages[0] : null);
        // How long the document took to be ready, and the opened page to draw (Scripts/bench-report reads them).
        document.documentElement.dataset.readyMs = performance.now().toFixed(0);
        if (first) {
          const start = performance.now();
          first.open = true;
          render(first);
          document.documentElement.dataset.drawMs = (performance.now() - start).toFixed(1);
          const block = wanted && wanted[2] !== undefined ? first.querySelector('.b[data-i="' + wanted[2] + '"]') : null;
          if (block) block.click();
          // `&still` keeps the view at the top: headless screenshots of a scrolled view come out blank at the top.
          if (!/&still/.test(location.hash)) (block || first).scrollIntoView();
        }

        """
}
