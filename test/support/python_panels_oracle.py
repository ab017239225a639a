"""Fields, filters, panels and formats (analysis-semantics.md §8-§12) in Python itself: re on
bytes, datetime.strptime, urllib.parse.urlparse, json.loads, datetime.fromisoformat. Reads
{"query": {...}, "lines": [base64, ...]} on stdin; writes one outcome per line as JSON. Used by
test/panels-python.test.ts as an oracle."""
import base64, datetime, json, math, re, sys, urllib.parse

sys.set_int_max_str_digits(0)

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

class utc_hour:
    """The UTC date and hour of an instant, by the proleptic calendar (days_from_civil inverted):
    datetime's own range stops at year 1, and an instant in year 1 with a positive offset is in year 0 UTC."""
    def __init__(self, at):
        days, rest = divmod(at, 86400)
        self.hour = rest // 3600
        z = days + 719468
        era = (z if z >= 0 else z - 146096) // 146097
        doe = z - era * 146097
        yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        self.day = doy - (153 * mp + 2) // 5 + 1
        self.month = mp + 3 if mp < 10 else mp - 9
        self.year = yoe + era * 400 + (self.month <= 2)

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

VHOST_PATTERN = re.compile(rb'(?P<vhost>\S+)\s+' + PATTERN.pattern)
WS = b' \t\n\r\x0b\x0c'
MISSING = object()

def get(obj, dotted):
    """A dotted path into nested objects ([0]: an array's first item), or MISSING."""
    for part in re.findall(r'[^.\[]+|\[0\]', dotted):
        if part == '[0]':
            if not isinstance(obj, list) or not obj:
                return MISSING
            obj = obj[0]
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return MISSING
    return obj

def either(obj, *paths):
    for p in paths:
        v = get(obj, p)
        if v is not MISSING:
            return v
    return MISSING

def as_bytes(v):
    """A JSON string as UTF-8 (a lone surrogate as U+FFFD); None when not a string."""
    if not isinstance(v, str):
        return None
    return ''.join('\ufffd' if 0xd800 <= ord(c) <= 0xdfff else c for c in v).encode('utf-8')

def iso_seconds(v):
    if not isinstance(v, str):
        return None
    try:
        dt = datetime.datetime.fromisoformat(v)
    except ValueError:
        return None
    return seconds(dt) if dt.tzinfo is not None else None

def epoch_seconds(v, json_number):
    if json_number:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        try:
            t = float(v)
        except OverflowError:
            return None
    else:
        if not isinstance(v, str) or not re.fullmatch(r'[0-9]*\.?[0-9]*', v) or not re.search(r'[0-9]', v):
            return None
        t = float(v)
    if not (-62135596800 <= t < 253402300800):
        return None
    return math.floor(t)

def clf_seconds(raw):
    dt = parse_time(raw)
    return seconds(dt) if dt is not None else None

JSON_MAPS = [
    ('json-caddy', dict(host=('request.client_ip', 'request.remote_ip'), time=('ts',), method='request.method', uri='request.uri',
        status='status', size='size', referer='request.headers.Referer[0]', agent='request.headers.User-Agent[0]', vhost='request.host')),
    ('json-traefik', dict(host=('ClientHost',), time=('StartUTC',), method='RequestMethod', uri='RequestPath',
        status='DownstreamStatus', size='DownstreamContentSize', referer='request_Referer', agent='request_User-Agent', vhost='RequestHost')),
    ('json-nginx', dict(host=('remote_addr',), time=('time_iso8601', 'time_local', 'msec'), method='request_method', uri='request_uri',
        status='status', size='body_bytes_sent', referer='http_referer', agent='http_user_agent', vhost='host')),
]

def reject_constant(name):
    raise ValueError(name)

def json_fields(line):
    try:
        obj = json.loads(line.decode('utf-8'), parse_constant=reject_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(obj, dict):
        return None
    for name, m in JSON_MAPS:
        if either(obj, *m['host']) is not MISSING and either(obj, *m['time']) is not MISSING:
            break
    else:
        return None
    host = as_bytes(either(obj, *m['host']))
    if host is None:
        return None
    if name == 'json-caddy':
        at = epoch_seconds(obj['ts'], not isinstance(obj['ts'], str))
    elif name == 'json-traefik':
        at = iso_seconds(obj['StartUTC'])
    elif 'time_iso8601' in obj:
        at = iso_seconds(obj['time_iso8601'])
    elif 'time_local' in obj:
        t = obj['time_local']
        at = clf_seconds(as_bytes(t)) if isinstance(t, str) else None
    else:
        at = epoch_seconds(obj['msec'], not isinstance(obj['msec'], str))
    if at is None:
        return None
    status = get(obj, m['status'])
    if isinstance(status, int) and not isinstance(status, bool) and status >= 0:
        status = str(status).encode()
    elif isinstance(status, str) and re.fullmatch(r'[0-9]+', status, re.ASCII):
        status = status.encode()
    else:
        return None
    size = get(obj, m['size'])
    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
        pass
    elif isinstance(size, str) and re.fullmatch(r'[0-9]{1,15}', size, re.ASCII):
        size = int(size)
    else:
        size = 0
    method = uri = None
    if name == 'json-nginx' and 'request' in obj:
        req = as_bytes(obj['request'])
        if req is not None:
            words = req.split()
            if len(words) >= 3:
                method, uri = words[0], b' '.join(words[1:-1])
            else:
                uri = b''
    else:
        method, uri = as_bytes(get(obj, m['method'])), as_bytes(get(obj, m['uri']))
    return dict(format=name, host=host, at=at, status=status, size=size, method=method, uri=uri,
                referer=as_bytes(get(obj, m['referer'])), agent=as_bytes(get(obj, m['agent'])), vhost=as_bytes(get(obj, m['vhost'])))

def user_pattern(text):
    """The format (§12.5) as a bytes pattern, and for each field its group and the time layout."""
    nginx = re.search(r'\$(\{[A-Za-z0-9_]+\}|[A-Za-z0-9_])', text) is not None
    tokens = []  # ('text', s) | ('space',) | ('dir', field, time, bracketed)
    i = 0
    apache = {'h': 'host', 'a': 'host', 't': 'time', 'r': 'request', 'b': 'size', 'B': 'size', 'O': 'size', 'v': 'vhost', 'V': 'vhost'}
    ngx = {'remote_addr': ('host', None), 'time_local': ('time', 'clf'), 'time_iso8601': ('time', 'iso'), 'msec': ('time', 'epoch'),
           'request': ('request', None), 'request_method': ('method', None), 'request_uri': ('uri', None), 'status': ('status', None),
           'body_bytes_sent': ('size', None), 'bytes_sent': ('size', None), 'http_referer': ('referer', None),
           'http_user_agent': ('agent', None), 'host': ('vhost', None), 'server_name': ('vhost', None), 'http_host': ('vhost', None)}
    while i < len(text):
        c = text[i]
        if c in ' \t\n\r\x0b\x0c':
            while i < len(text) and text[i] in ' \t\n\r\x0b\x0c':
                i += 1
            tokens.append(('space',))
        elif not nginx and c == '%' and text[i + 1:i + 2] == '%':
            tokens.append(('text', '%')); i += 2
        elif not nginx and c == '%':
            m = re.match(r'%([<>]?)!?[0-9,]*(?:\{([^}]*)\})?([<>]?)([A-Za-z])', text[i:])
            mod, braces, letter = m.group(1) or m.group(3), m.group(2), m.group(4)
            if braces is not None:
                field = {'referer': 'referer', 'user-agent': 'agent'}.get(braces.lower()) if letter == 'i' else None
            elif letter == 's':
                field = None if mod == '<' else 'status'
            else:
                field = apache.get(letter)
            tokens.append(('dir', field, 'clf' if field == 'time' else None, field == 'time'))
            i += len(m.group(0))
        elif nginx and c == '$':
            m = re.match(r'\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))', text[i:])
            if m is None:
                tokens.append(('text', '$')); i += 1
                continue
            field, layout = ngx.get(m.group(1) or m.group(2), (None, None))
            tokens.append(('dir', field, layout, False))
            i += len(m.group(0))
        else:
            tokens.append(('text', c)); i += 1
    pattern, groups, layout = b'', {}, None
    for k, t in enumerate(tokens):
        if t[0] == 'space':
            pattern += rb'\s+'
        elif t[0] == 'text':
            pattern += re.escape(t[1].encode('utf-8'))
        else:
            _, field, tl, bracketed = t
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            lazy = nxt is not None and nxt[0] == 'text' and nxt[1][:1] in ('"', ']')
            body = rb'.+?' if bracketed else rb'.*?' if lazy else rb'\S+'
            if field is not None and field not in groups:
                groups[field] = 'g%d' % len(groups)
                if field == 'time':
                    layout = tl
                body = b'(?P<' + groups[field].encode() + b'>' + body + b')'
            else:
                body = b'(?:' + body + b')'
            pattern += rb'\[' + body + rb'\]' if bracketed else body
    return re.compile(pattern, re.DOTALL), groups, layout

def user_fields(line, fmt, n):
    pattern, groups, layout = fmt
    m = pattern.match(line)
    if m is None:
        return False
    g = lambda field: m.group(groups[field]) if field in groups else None
    status = g('status')
    if not re.fullmatch(rb'[0-9]+', status):
        return None
    raw_time = g('time')
    if layout == 'clf':
        at = clf_seconds(raw_time)
    else:
        try:
            text_time = raw_time.decode('utf-8')
        except UnicodeDecodeError:
            return None
        at = iso_seconds(text_time) if layout == 'iso' else epoch_seconds(text_time, False)
    if at is None:
        return None
    method = uri = None
    if 'request' in groups:
        words = g('request').split()
        method = words[0] if len(words) >= 3 else None
        uri = b' '.join(words[1:-1]) if len(words) >= 3 else b''
    else:
        method, uri = g('method'), g('uri')
    raw_size = g('size')
    size = int(raw_size) if raw_size is not None and re.fullmatch(rb'[0-9]{1,15}', raw_size) else 0
    return dict(format='user-%d' % (n + 1), host=g('host'), at=at, status=status, size=size, method=method, uri=uri,
                referer=g('referer'), agent=g('agent'), vhost=g('vhost'))

def combined_fields(m, name):
    dt = parse_time(m.group('time'))
    if dt is None:
        return None
    words = m.group('request').split()
    raw_size = m.group('bytes')
    return dict(format=name, host=m.group('host'), at=seconds(dt), status=m.group('status'),
                size=int(raw_size) if re.fullmatch(rb'[0-9]{1,15}', raw_size) else 0,
                method=words[0] if len(words) >= 3 else None, uri=b' '.join(words[1:-1]) if len(words) >= 3 else b'',
                referer=m.group('referer'), agent=m.group('user_agent'), vhost=m.group('vhost') if name == 'vhost_combined' else None)

def read_fields(line, formats):
    """§12.2: which format reads the line, and its fields; None: malformed."""
    line = line.strip(WS)
    if line.startswith(b'{'):
        return json_fields(line)
    for n, fmt in enumerate(formats):
        got = user_fields(line, fmt, n)
        if got is not False:
            return got
    m = PATTERN.match(line)
    if m:
        return combined_fields(m, 'combined')
    m = VHOST_PATTERN.match(line)
    if m:
        return combined_fields(m, 'vhost_combined')
    return None

def outcome(line, q, f, formats):
    fields = read_fields(line, formats)
    if fields is None:
        return {'kind': 'malformed'}
    method = text(fields['method']) if fields['method'] is not None else None
    if fields['uri'] is None:
        path, bad = '', True
    else:
        try:
            path = urllib.parse.urlparse(text(fields['uri'])).path
            bad = False
        except ValueError:
            path, bad = '', True
    host = text(fields['host'])
    at = fields['at']
    size = fields['size']
    status = fields['status']
    if ('since' in f and at < f['since']) or ('until' in f and at >= f['until']):
        return {'kind': 'filtered', 'format': fields['format']}
    if 'status' in f and not any(lo <= int(status) <= hi for lo, hi in f['status']):
        return {'kind': 'filtered', 'format': fields['format']}
    if 'method' in f and method not in f['method']:
        return {'kind': 'filtered', 'format': fields['format']}
    if 'pathPrefix' in f and not any(path.startswith(p) for p in f['pathPrefix']):
        return {'kind': 'filtered', 'format': fields['format']}
    if 'host' in f and host not in f['host']:
        return {'kind': 'filtered', 'format': fields['format']}
    parts = path.split('/')
    excluded = bad or not any(parts) or any(p in q['excludedNames'] for p in parts) or any(parts[-1].endswith(e) for e in q['excludedExtensions'])
    nonempty = [p for p in parts if p]
    hour = utc_hour(at)
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
            key = status.decode('ascii')
        elif panel == 'methods':
            key = method
        elif panel == 'referers' and fields['referer'] not in (None, b'', b'-'):
            key = text(fields['referer'])
        elif panel == 'user-agents' and fields['agent'] not in (None, b'', b'-'):
            key = text(fields['agent'])
        elif panel == 'hours':
            key = f'{hour.year:04d}-{hour.month:02d}-{hour.day:02d}T{hour.hour:02d}:00Z'
        elif panel == 'days':
            key = f'{hour.year:04d}-{hour.month:02d}-{hour.day:02d}'
        elif panel == 'vhosts' and fields['vhost'] is not None:
            key = text(fields['vhost'])
        if key is not None:
            keys[panel] = key
    uses_lists = 'book-paths' in q['panels'] or 'paths' in q['panels']
    return {'kind': 'kept', 'excluded': bool(uses_lists and excluded), 'size': size, 'keys': keys, 'format': fields['format']}

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
formats = [user_pattern(t) for t in q.get('logFormats', [])]
json.dump([outcome(base64.b64decode(l), q, f, formats) for l in request['lines']], sys.stdout)
