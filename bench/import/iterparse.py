"""The way the popular open-source Apple Health parsers read export.xml: ElementTree.iterparse, keeping
each Record's attributes, clearing elements as it goes so memory stays flat. Prints one JSON line."""
import json
import resource
import sys
import time
import xml.etree.ElementTree as ET

start = time.perf_counter()
records = 0
vitals = 0
root = None
for event, elem in ET.iterparse(sys.argv[1], events=("start", "end")):
    if event == "start":
        if root is None:
            root = elem
        continue
    if elem.tag == "Record":
        attributes = dict(elem.attrib)
        records += 1
        if attributes.get("type") == "HKQuantityTypeIdentifierHeartRate":
            vitals += 1
    if elem.tag in ("Record", "Correlation", "Workout", "ActivitySummary"):
        elem.clear()
        # Drop the cleared children from the root too, as those parsers do.
        if root is not None and len(root) > 1000:
            del root[:]
seconds = time.perf_counter() - start
print(json.dumps({
    "seconds": seconds,
    "records": records,
    "heartRate": vitals,
    "cpuSeconds": resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime,
    "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
