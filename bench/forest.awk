# forest.awk — a synthetic PMML model for bench/predict.sh: 100 full binary
# regression trees of depth 8 (255 tests each) on features f0..f7, thresholds
# uniform in [0, 1], summed (a MiningModel); deterministic (srand(3)).
function node(d, ind,   f, t) {
	if (d == 8) return
	f = int(rand() * 8); t = sprintf("%.6f", rand())
	printf "%s<Node score=\"%.6f\"><SimplePredicate field=\"f%d\" operator=\"lessOrEqual\" value=\"%s\"/>\n", ind, rand() - 0.5, f, t
	node(d + 1, ind " ")
	printf "%s</Node>\n", ind
	printf "%s<Node score=\"%.6f\"><SimplePredicate field=\"f%d\" operator=\"greaterThan\" value=\"%s\"/>\n", ind, rand() - 0.5, f, t
	node(d + 1, ind " ")
	printf "%s</Node>\n", ind
}
BEGIN {
	srand(3)
	print "<?xml version=\"1.0\"?>"
	print "<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><DataDictionary>"
	for (i = 0; i < 8; i++) printf "<DataField name=\"f%d\" optype=\"continuous\" dataType=\"double\"/>\n", i
	print "<DataField name=\"y\" optype=\"continuous\" dataType=\"double\"/></DataDictionary>"
	print "<MiningModel functionName=\"regression\"><MiningSchema><MiningField name=\"y\" usageType=\"target\"/>"
	for (i = 0; i < 8; i++) printf "<MiningField name=\"f%d\"/>", i
	print "</MiningSchema><Segmentation multipleModelMethod=\"sum\">"
	for (t = 0; t < 100; t++) {
		print "<Segment><True/><TreeModel functionName=\"regression\"><MiningSchema>"
		for (i = 0; i < 8; i++) printf "<MiningField name=\"f%d\"/>", i
		print "</MiningSchema><Node score=\"0\"><True/>"
		node(0, " ")
		print "</Node></TreeModel></Segment>"
	}
	print "</Segmentation></MiningModel></PMML>"
}
