"""The book's analysis as printed (Functional Python Programming, ch. 12), mapped over the files
with multiprocessing.Pool.imap_unordered: the reference the benchmark compares against.
python3 book_pool.py WORKERS FILE...   (WORKERS 0: the book's serial map, in this process)
python3 book_pool.py 0 --folder DIR    (every *.gz file in DIR: too many to name)"""
import datetime, gzip, multiprocessing, os, re, sys, urllib.parse
from collections import Counter

format_pat = re.compile(
    r"(?P<host>[\d\.]+)\s+(?P<identity>\S+)\s+(?P<user>\S+)\s+\[(?P<time>.+?)\]\s+"
    r'"(?P<request>.+?)"\s+(?P<status>\d+)\s+(?P<bytes>\S+)\s+'
    r'"(?P<referer>.*?)"\s+"(?P<user_agent>.+?)"\s*')
name_exclude = {'favicon.ico', 'robots.txt', 'humans.txt', 'crossdomain.xml', '_images', 'search.html',
                'genindex.html', 'searchindex.js', 'modindex.html', 'py-modindex.html'}
ext_exclude = {'.png', '.js', '.css'}

def analysis(filename):
    counts = Counter()
    with gzip.open(filename, "rb") as log:
        for raw in log:
            line = raw.decode('us-ascii', 'replace').rstrip()
            m = format_pat.match(line)
            if not m:
                continue
            words = m.group('request').split()
            try:
                datetime.datetime.strptime(m.group('time'), "%d/%b/%Y:%H:%M:%S %z")
                path = urllib.parse.urlparse(' '.join(words[1:-1])).path
            except (ValueError, IndexError):
                continue
            parts = path.split('/')
            if not any(parts) or any(p in name_exclude for p in parts) or any(parts[-1].endswith(e) for e in ext_exclude):
                continue
            book = tuple(p for p in parts if p)
            if book[0] == 'book' and len(book) > 1:
                counts[path] += 1
    return counts

if __name__ == '__main__':
    combined = Counter()
    files = sys.argv[2:]
    if files[:1] == ['--folder']:
        files = sorted(os.path.join(files[1], f) for f in os.listdir(files[1]) if f.endswith('.gz'))
    if int(sys.argv[1]) == 0:
        for result in map(analysis, files):
            combined.update(result)
    else:
        with multiprocessing.Pool(int(sys.argv[1])) as workers:
            for result in workers.imap_unordered(analysis, files):
                combined.update(result)
    print(len(combined))
