"""Fields, filters and panels (analysis-semantics.md §8-§11) in Python itself: re on bytes,
datetime.strptime, urllib.parse.urlparse, datetime.fromisoformat for the filter times. Reads
{"query": {...}, "lines": [base64, ...]} on stdin; writes one outcome per line as JSON. Used by
test/panels-python.test.ts as an oracle."""
import base64, datetime, json, re, sys, urllib.parse

PATTERN = re.compile(
    rb'(?P<host>\S+)\s+(?P<identity>\S+)\s+(?P<user>\S+)\s+\[(?P<time>.+?)\]\s+'
    rb'"(?P<request>.+?)"\s+(?P<status>\d+)\s+(?P<bytes>\S+)'
    rb'(?:\s+"(?P<referer>.*?)"\s+"(?P<user_agent>.+?)")?')
EPOCH = datetime.datetime(1970, 1, 1)
UTC = datetime.timezone.utc

def parse_time(raw):
    try:
        text = raw.decode('ascii')
    except UnicodeDecodeError:
        return None
    if any(c in text for c in '\x1c\x1d\x1e\x1f'):
        return None
    try:
        return datetime.datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z")
    except ValueError:
        return None

def seconds(dt):
    """Whole seconds since the epoch, floored, without leaving datetime's range."""
    delta = dt.replace(tzinfo=None) - EPOCH - dt.utcoffset()
    return delta.days * 86400 + delta.seconds

def filter_time(text):
    if 'T' not in text and ' ' not in text:
        d = datetime.date.fromisoformat(text)
        return seconds(datetime.datetime(d.year, d.month, d.day, tzinfo=UTC))
    dt = datetime.datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return seconds(dt)

def status_item(item):
    m = re.fullmatch(r'([1-5])[xX][xX]', item)
    if m:
        return int(m.group(1)) * 100, int(m.group(1)) * 100 + 99
    lo, _, hi = item.partition('-')
    return int(lo), int(hi or lo)

def text(b):
    return b.decode('utf-8', 'replace')

def outcome(line, q, f):
    line = line.rstrip()
    m = PATTERN.match(line)
    dt = parse_time(m.group('time')) if m else None
    if dt is None:
        return {'kind': 'malformed'}
    words = m.group('request').split()
    method = text(words[0]) if len(words) >= 3 else None
    uri = text(b' '.join(words[1:-1])) if len(words) >= 3 else ''
    try:
        path = urllib.parse.urlparse(uri).path
        bad = False
    except ValueError:
        path, bad = '', True
    host = text(m.group('host'))
    at = seconds(dt)
    raw_size = m.group('bytes')
    size = int(raw_size) if re.fullmatch(rb'[0-9]{1,15}', raw_size) else 0
    if ('since' in f and at < f['since']) or ('until' in f and at >= f['until']):
        return {'kind': 'filtered'}
    if 'status' in f and not any(lo <= int(m.group('status')) <= hi for lo, hi in f['status']):
        return {'kind': 'filtered'}
    if 'method' in f and method not in f['method']:
        return {'kind': 'filtered'}
    if 'pathPrefix' in f and not any(path.startswith(p) for p in f['pathPrefix']):
        return {'kind': 'filtered'}
    if 'host' in f and host not in f['host']:
        return {'kind': 'filtered'}
    parts = path.split('/')
    excluded = bad or not any(parts) or any(p in q['excludedNames'] for p in parts) or any(parts[-1].endswith(e) for e in q['excludedExtensions'])
    nonempty = [p for p in parts if p]
    hour = EPOCH + datetime.timedelta(seconds=at // 3600 * 3600)
    keys = {}
    for panel in q['panels']:
        key = None
        if panel == 'book-paths' and not excluded and len(nonempty) > 1 and nonempty[0] == q['prefix']:
            key = path
        elif panel == 'robots-hosts' and path == '/robots.txt':
            key = host
        elif panel == 'paths' and not excluded:
            key = path
        elif panel == 'hosts':
            key = host
        elif panel == 'status':
            key = m.group('status').decode('ascii')
        elif panel == 'methods':
            key = method
        elif panel == 'referers' and m.group('referer') not in (None, b'', b'-'):
            key = text(m.group('referer'))
        elif panel == 'user-agents' and m.group('user_agent') not in (None, b'', b'-'):
            key = text(m.group('user_agent'))
        elif panel == 'hours':
            key = f'{hour.year:04d}-{hour.month:02d}-{hour.day:02d}T{hour.hour:02d}:00Z'
        elif panel == 'days':
            key = f'{hour.year:04d}-{hour.month:02d}-{hour.day:02d}'
        if key is not None:
            keys[panel] = key
    uses_lists = 'book-paths' in q['panels'] or 'paths' in q['panels']
    return {'kind': 'kept', 'excluded': bool(uses_lists and excluded), 'size': size, 'keys': keys}

request = json.load(sys.stdin)
q = request['query']
f = {}
for name in ('since', 'until'):
    if name in q['filters']:
        f[name] = filter_time(q['filters'][name])
if 'status' in q['filters']:
    f['status'] = [status_item(i) for i in q['filters']['status']]
for name in ('method', 'pathPrefix', 'host'):
    if name in q['filters']:
        f[name] = q['filters'][name]
json.dump([outcome(base64.b64decode(l), q, f) for l in request['lines']], sys.stdout)
