"""kagglehub's dataset_download, as the package does it (kagglehub 0.3.13's REST calls, its cache layout).

`kagglehub.dataset_download('owner/dataset')` asks Kaggle's public API for the dataset's current version
(GET {endpoint}/api/v1/datasets/view/owner/dataset: currentVersionNumber), downloads the archive (GET
{endpoint}/api/v1/datasets/download/owner/dataset?dataset_version_number=N), extracts it into
{cache}/datasets/owner/dataset/versions/N, marks it complete ({cache}/datasets/owner/dataset/N.complete) and
returns that folder. A later call finds it complete and downloads nothing. endpoint: $KAGGLE_API_ENDPOINT
or https://www.kaggle.com; cache: $KAGGLEHUB_CACHE or ~/.cache/kagglehub; credentials, when there are any:
$KAGGLE_USERNAME and $KAGGLE_KEY, or kaggle.json in $KAGGLE_CONFIG_DIR or ~/.kaggle (public datasets need none).

Python has no sockets here: the host makes the HTTP requests (`backprop-ninja notebook`, through the JS
module _bpn_net; the lab's Notebook tab gives it one over a synchronous XMLHttpRequest, web/notebook-net.ts,
which reaches only servers that send CORS headers, and says so). A runtime without it says so. Offline with
the dataset in the cache, the newest cached version is used, with a note; offline without it, one line says so.
"""

import base64 as _base64
import json as _json
import os as _os
import shutil as _shutil
import sys as _sys
import tarfile as _tarfile
import urllib.parse as _parse
import zipfile as _zipfile

__version__ = '0.3.13'

DEFAULT_KAGGLE_API_ENDPOINT = 'https://www.kaggle.com'
_NO_NETWORK = ("kagglehub.dataset_download needs the network, which this notebook runtime cannot reach: run the "
               "notebook with `npx backprop-ninja notebook FILE`, or add the dataset's files to the notebook's folder "
               "and open them there")


class KaggleApiHTTPError(Exception):
    """An error answer of Kaggle's API (401, 403, 404, ...)."""


def _endpoint():
    return _os.environ.get('KAGGLE_API_ENDPOINT', DEFAULT_KAGGLE_API_ENDPOINT).rstrip('/')


def _cache_folder():
    return _os.environ.get('KAGGLEHUB_CACHE') or _os.path.join(_os.path.expanduser('~'), '.cache', 'kagglehub')


def _credentials():
    user, key = _os.environ.get('KAGGLE_USERNAME'), _os.environ.get('KAGGLE_KEY')
    if user and key:
        return user, key
    folder = _os.environ.get('KAGGLE_CONFIG_DIR') or _os.path.join(_os.path.expanduser('~'), '.kaggle')
    try:
        with open(_os.path.join(folder, 'kaggle.json'), encoding='utf-8') as f:
            creds = _json.load(f)
        if isinstance(creds, dict) and creds.get('username') and creds.get('key'):
            return str(creds['username']), str(creds['key'])
    except (OSError, ValueError):
        pass
    return None


def _headers():
    h = {'User-Agent': f'kagglehub/{__version__} backprop-ninja'}
    creds = _credentials()
    if creds is not None:
        h['Authorization'] = 'Basic ' + _base64.b64encode(f'{creds[0]}:{creds[1]}'.encode()).decode()
    return h


def _parse_handle(handle):
    parts = handle.split('/') if isinstance(handle, str) else []
    if len(parts) == 4 and parts[2] == 'versions':
        try:
            return parts[0], parts[1], int(parts[3])
        except ValueError:
            raise ValueError(f'Invalid version number: {parts[3]}') from None
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1], None
    raise ValueError(f'Invalid dataset handle: {handle}')


def _request(url, dest=None):
    """The host's answer (notebook-net.ts HttpAnswer); network failures raise ConnectionError in one line."""
    try:
        import _bpn_net
    except ImportError:
        raise ConnectionError(_NO_NETWORK) from None
    req = {'url': url, 'headers': _headers()}
    if dest is not None:
        req['dest'] = dest
    answer = _json.loads(_bpn_net.request(_json.dumps(req)))
    if answer.get('interrupted'):
        raise KeyboardInterrupt
    if answer.get('error') and not answer.get('status'):
        raise ConnectionError(f'kagglehub: cannot reach {_parse.urlsplit(url).netloc}: {answer["error"]}')
    status = answer.get('status', 0)
    if status >= 400 or answer.get('error'):
        message = ''
        try:
            message = _json.loads(answer.get('body') or '{}').get('message', '')
        except (ValueError, AttributeError):
            pass
        why = {401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found'}.get(status, answer.get('error') or 'Error')
        raise KaggleApiHTTPError(f'{status} Client Error: {why} for url: {url}' + (f' ({message})' if message else ''))
    return answer


def _current_version(owner, dataset):
    answer = _request(f'{_endpoint()}/api/v1/datasets/view/{_parse.quote(owner)}/{_parse.quote(dataset)}')
    try:
        return int(_json.loads(answer.get('body', ''))['currentVersionNumber'])
    except (ValueError, KeyError, TypeError):
        raise ValueError('Invalid GetDataset API response. Expected to include a currentVersionNumber field') from None


def _dataset_dir(owner, dataset):
    return _os.path.join(_cache_folder(), 'datasets', owner, dataset)


def _newest_cached(owner, dataset):
    base = _dataset_dir(owner, dataset)
    try:
        names = _os.listdir(base)
    except OSError:
        return None
    done = [int(n[:-len('.complete')]) for n in names if n.endswith('.complete') and n[:-len('.complete')].isdigit()]
    done = [v for v in done if _os.path.isdir(_os.path.join(base, 'versions', str(v)))]
    return max(done) if done else None


def _extract(archive, out):
    print('Extracting files...')
    _os.makedirs(out, exist_ok=True)
    if _tarfile.is_tarfile(archive):
        with _tarfile.open(archive) as f:
            f.extractall(out, filter='data')  # no member outside `out`, no device, no absolute link
    elif _zipfile.is_zipfile(archive):
        with _zipfile.ZipFile(archive) as f:
            f.extractall(out)  # member names are made relative to `out` (no '..', no absolute path)
    else:
        raise ValueError('Unsupported archive type.')


def dataset_download(handle, path=None, *, force_download=False):
    """Downloads a Kaggle dataset (or one file of it: path) into kagglehub's cache; returns its local path."""
    owner, dataset, version = _parse_handle(handle)
    if version is None:
        try:
            version = _current_version(owner, dataset)
        except ConnectionError as e:
            version = None if force_download else _newest_cached(owner, dataset)
            if version is None:
                raise
            print(f'[backprop-ninja] {e}; using the cached version {version} of {owner}/{dataset}', file=_sys.stderr)
    base = _dataset_dir(owner, dataset)
    out = _os.path.join(base, 'versions', str(version))
    if path:
        out = _os.path.join(out, path)
        marker = _os.path.join(base, '.complete', str(version), f'{path}.complete')
    else:
        marker = _os.path.join(base, f'{version}.complete')
    if _os.path.exists(marker) and _os.path.exists(out) and not force_download:
        return out
    if _os.path.exists(marker):
        _os.remove(marker)
    url = (f'{_endpoint()}/api/v1/datasets/download/{_parse.quote(owner)}/{_parse.quote(dataset)}'
           f'?dataset_version_number={version}')
    if path:
        url += f'&file_name={_parse.quote(path)}'
        _os.makedirs(_os.path.dirname(out), exist_ok=True)
        print(f'Downloading from {url}...')
        answer = _request(url, dest=out)
        got = _parse.urlsplit(answer.get('url') or '').path.rsplit('/', 1)[-1]
        if got == _os.path.basename(out) + '.zip' and _zipfile.is_zipfile(out):
            print(f'Extracting zip of {_os.path.basename(out)}...')
            _os.replace(out, out + '.zip')
            with _zipfile.ZipFile(out + '.zip') as f:
                f.extract(_os.path.basename(out), _os.path.dirname(out))
            _os.remove(out + '.zip')
    else:
        archive = _os.path.join(base, f'{version}.archive')
        _os.makedirs(base, exist_ok=True)
        print(f'Downloading from {url}...')
        _request(url, dest=archive)
        if _os.path.isdir(out):
            _shutil.rmtree(out)  # an earlier, incomplete extraction
        try:
            _extract(archive, out)
        finally:
            _os.remove(archive)
    _os.makedirs(_os.path.dirname(marker), exist_ok=True)
    with open(marker, 'w'):
        pass
    return out


def __getattr__(name):
    raise AttributeError(f"module 'kagglehub' has no attribute '{name}' (backprop-ninja's kagglehub has "
                         "dataset_download only)")
