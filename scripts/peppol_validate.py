"""Validates UBL documents against the official PEPPOL BIS Billing 3 rules.

The rules are ISO Schematron with the XSLT 2 query binding (EN 16931 rules in
CEN-EN16931-UBL.sch, PEPPOL's own in PEPPOL-EN16931-UBL.sch). This compiles
each rule set once per run into an XSLT 3.0 stylesheet, the way the ISO
skeleton does, and runs it with Saxon-HE (saxonche, from PyPI) over every
file given: one process for a whole batch, since starting Saxon and compiling
the rules cost far more than checking a document.

The compilation follows ISO/IEC 19757-3: every pattern is a mode that visits
each element and attribute of the document; within a pattern a node is
checked by the first rule whose context matches it (templates with falling
priorities); schema- and pattern-level `let`s are global variables, rule-level
ones local; `xsl:function`s in the schema are copied; all patterns are active
(phase #ALL, as the official validation runs them). A failed `assert` or a
fired `report` is printed as `flag<TAB>id<TAB>location<TAB>message`.

Usage: python peppol_validate.py RULES_DIR FILE...
Exit status: 0 if no file fails a rule flagged fatal, 1 if one does,
2 if a file cannot be read or parsed, 3 if the rules are missing.
"""

import copy
import sys
import time
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
RULE_SETS = ("CEN-EN16931-UBL.sch", "PEPPOL-EN16931-UBL.sch")
# Where a check failed, as a readable path: /Invoice[1]/cac:TaxTotal[1]/cbc:TaxAmount[1].
LOCATION = (
    "'/' || string-join(for $n in ancestor-or-self::node()[parent::node()] return "
    "if ($n instance of attribute()) then '@' || name($n) "
    "else name($n) || '[' || (count($n/preceding-sibling::*[node-name(.) = node-name($n)]) + 1) || ']', '/')"
)


def q(ns, name):
    return "{%s}%s" % (ns, name)


def compile_schematron(sch_path):
    """The XSLT 3.0 text that checks documents against the schema at `sch_path`."""
    schema = etree.parse(str(sch_path)).getroot()
    if schema.get("queryBinding") not in ("xslt2", "xslt3"):
        raise SystemExit(f"{sch_path}: unsupported queryBinding {schema.get('queryBinding')!r}")
    nsmap = {"xsl": XSL}
    for ns in schema.iter(q(SCH, "ns")):
        nsmap[ns.get("prefix")] = ns.get("uri")
    out = etree.Element(q(XSL, "stylesheet"), nsmap=nsmap, version="3.0")
    out.set("exclude-result-prefixes", " ".join(p for p in nsmap if p != "xsl"))
    etree.SubElement(out, q(XSL, "output"), method="text", encoding="UTF-8")

    globals_seen = set()
    for child in schema:
        if child.tag == q(XSL, "function"):
            out.append(copy.deepcopy(child))
        elif child.tag == q(SCH, "let"):
            _variable(out, child, globals_seen)
    patterns = list(schema.iter(q(SCH, "pattern")))
    for pattern in patterns:
        if pattern.get("abstract") == "true" or pattern.get("is-a"):
            raise SystemExit(f"{sch_path}: abstract patterns are not supported")
        for let in pattern.findall(q(SCH, "let")):
            _variable(out, let, globals_seen)

    root = etree.SubElement(out, q(XSL, "template"), match="/")
    for i, _ in enumerate(patterns):
        etree.SubElement(root, q(XSL, "apply-templates"), select=".", mode=f"P{i}")
    for i, pattern in enumerate(patterns):
        _pattern(out, pattern, f"P{i}")
    checks = len(list(schema.iter(q(SCH, "assert"), q(SCH, "report"))))
    rules = len(list(schema.iter(q(SCH, "rule"))))
    return etree.tostring(out, encoding="unicode"), f"{rules} rules, {checks} checks"


def _variable(parent, let, seen=None):
    name = let.get("name")
    if seen is not None:
        if name in seen:
            raise SystemExit(f"global variable ${name} defined twice")
        seen.add(name)
    if let.get("value") is None:
        raise SystemExit(f"let ${name} without a value attribute is not supported")
    etree.SubElement(parent, q(XSL, "variable"), name=name, select=let.get("value"))


def _pattern(out, pattern, mode):
    rules = pattern.findall(q(SCH, "rule"))
    for r, rule in enumerate(rules):
        if rule.get("abstract") == "true" or rule.find(q(SCH, "extends")) is not None:
            raise SystemExit("abstract rules are not supported")
        t = etree.SubElement(
            out, q(XSL, "template"), match=rule.get("context"), mode=mode, priority=str(len(rules) - r + 1000)
        )
        for child in rule:
            if child.tag == q(SCH, "let"):
                _variable(t, child)
            elif child.tag in (q(SCH, "assert"), q(SCH, "report")):
                _check(t, child)
        etree.SubElement(t, q(XSL, "apply-templates"), select="@*|*", mode=mode)
    fallback = etree.SubElement(
        out, q(XSL, "template"), match="document-node()|@*|*", mode=mode, priority="-10"
    )
    etree.SubElement(fallback, q(XSL, "apply-templates"), select="@*|*", mode=mode)


def _check(template, check):
    test = check.get("test")
    if check.tag == q(SCH, "assert"):
        test = f"not({test})"
    branch = etree.SubElement(template, q(XSL, "if"), test=test)
    flag = check.get("flag") or ("fatal" if check.tag == q(SCH, "assert") else "warning")
    _text(branch, f"{flag}\t{check.get('id') or '-'}\t")
    etree.SubElement(branch, q(XSL, "value-of"), select=LOCATION)
    _text(branch, "\t")
    _message(branch, check)
    _text(branch, "\n")


def _message(parent, el):
    """The assertion's text, with `value-of` and `name` evaluated, on one line."""
    if el.text:
        _text(parent, " ".join(el.text.split()) + " ")
    for child in el:
        if child.tag == q(SCH, "value-of"):
            etree.SubElement(parent, q(XSL, "value-of"), select=child.get("select"))
        elif child.tag == q(SCH, "name"):
            etree.SubElement(parent, q(XSL, "value-of"), select=f"name({child.get('path') or '.'})")
        else:
            _message(parent, child)
        if child.tail:
            _text(parent, " ".join(child.tail.split()) + " ")


def _text(parent, s):
    etree.SubElement(parent, q(XSL, "text")).text = s


def main(argv):
    if len(argv) < 3:
        print("usage: peppol_validate.py RULES_DIR FILE...", file=sys.stderr)
        return 2
    rules = Path(argv[1])
    files = argv[2:]
    missing = [name for name in RULE_SETS if not (rules / "sch" / name).is_file()]
    if missing:
        print(f"peppol-validate: rules not found in {rules}/sch: {', '.join(missing)}", file=sys.stderr)
        return 3
    started = time.perf_counter()
    with PySaxonProcessor(license=False) as proc:
        xslt = proc.new_xslt30_processor()
        executables = []
        sizes = []
        for name in RULE_SETS:
            text, size = compile_schematron(rules / "sch" / name)
            executables.append((name, xslt.compile_stylesheet(stylesheet_text=text)))
            sizes.append(f"{name}: {size}")
        compiled = time.perf_counter()
        worst = 0
        for f in files:
            worst = max(worst, _validate(proc, executables, f))
        done = time.perf_counter()
    per_file = (done - compiled) / len(files)
    print(
        f"peppol-validate: {len(files)} file(s) against {'; '.join(sizes)}; rules compiled in {compiled - started:.2f} s, "
        f"{per_file:.3f} s per file",
        file=sys.stderr,
    )
    return worst


def _validate(proc, executables, path):
    started = time.perf_counter()
    try:
        doc = proc.parse_xml(xml_file_name=str(Path(path).resolve()))
    except Exception as e:  # Saxon reports parse errors as a generic exception.
        print(f"{path}: ERROR cannot parse: {e}")
        return 2
    fatal = 0
    lines = []
    for name, executable in executables:
        executable.set_global_context_item(xdm_item=doc)
        try:
            result = executable.apply_templates_returning_string(xdm_value=doc) or ""
        except Exception as e:  # A dynamic error in a rule: the document is not valid.
            lines.append(f"  fatal   ({name}) the rules could not be evaluated: {e}")
            fatal += 1
            continue
        for line in result.splitlines():
            if not line.strip():
                continue
            flag, rule_id, location, message = (line.split("\t", 3) + ["", "", ""])[:4]
            lines.append(f"  {flag:7} {rule_id} ({name}) at {location}: {message.strip()}")
            if flag == "fatal":
                fatal += 1
    took = time.perf_counter() - started
    print(f"{path}: {'FAIL' if fatal else 'ok'}{f' ({fatal} fatal)' if fatal else ''} ({took:.3f} s)")
    for line in lines:
        print(line)
    return 1 if fatal else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
