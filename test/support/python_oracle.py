"""The book's pipeline in Python itself (re on bytes, datetime.strptime, urllib.parse.urlparse),
with the spec's widenings (and §12.1-§12.3: leading whitespace, vhost_combined): reads {"options": {...}, "lines": [base64, ...]} on stdin and writes
one verdict per line as JSON. Used by test/parser-python.test.ts as an oracle."""
import base64, datetime, json, re, sys, urllib.parse

PATTERN = re.compile(
    rb'(?P<host>\S+)\s+(?P<identity>\S+)\s+(?P<user>\S+)\s+\[(?P<time>.+?)\]\s+'
    rb'"(?P<request>.+?)"\s+(?P<status>\d+)\s+(?P<bytes>\S+)'
    rb'(?:\s+"(?P<referer>.*?)"\s+"(?P<user_agent>.+?)")?')

def time_ok(raw):
    try:
        text = raw.decode('ascii')
    except UnicodeDecodeError:
        return False  # spec: the field is read with ASCII rules
    if any(c in text for c in '\x1c\x1d\x1e\x1f'):
        return False  # spec: whitespace is the six ASCII bytes (str \s would take these too)
    try:
        datetime.datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z")
        return True
    except ValueError:
        return False

VHOST_PATTERN = re.compile(rb'(?P<vhost>\S+)\s+' + PATTERN.pattern)

def verdict(line, o):
    line = line.strip()  # §12.1: leading whitespace too
    # §12.2: the book's pattern decides when it matches; else vhost_combined (§12.3)
    m = PATTERN.match(line) or VHOST_PATTERN.match(line)
    if not m or not time_ok(m.group('time')):
        return {'kind': 'malformed'}
    words = m.group('request').split()
    uri = b' '.join(words[1:-1]).decode('utf-8', 'replace') if len(words) >= 3 else ''
    try:
        path = urllib.parse.urlparse(uri).path
    except ValueError:
        path = None
    if o['analysis'] == 'robots-hosts':
        if path == '/robots.txt':
            return {'kind': 'counted', 'key': m.group('host').decode('utf-8', 'replace')}
        return {'kind': 'other'}
    if path is None:
        return {'kind': 'excluded'}
    parts = path.split('/')
    if not any(parts) or any(p in o['names'] for p in parts) or any(parts[-1].endswith(e) for e in o['extensions']):
        return {'kind': 'excluded'}
    nonempty = [p for p in parts if p]
    if len(nonempty) > 1 and nonempty[0] == o['prefix']:
        return {'kind': 'counted', 'key': path}
    return {'kind': 'other'}

request = json.load(sys.stdin)
out = [verdict(base64.b64decode(l), request['options']) for l in request['lines']]
json.dump(out, sys.stdout)
