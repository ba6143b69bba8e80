"""Packs an export.xml as the iPhone does: apple_health_export/export.xml in a deflated export.zip."""
import sys
import zipfile

xml, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    z.write(xml, "apple_health_export/export.xml")
