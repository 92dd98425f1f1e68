"""Adversarial submissions for the grader (chapter 99, the test-only exercises).

Every notebook has the same honest content, HONEST_CELLS: `scale` right (2 points), `pick`
right (1), and `row_norms`, `eta_max`, `knob_setting` wrong, so it deserves exactly 3 of 6
points. Each adds one trick that tries to earn more (or to outlive its grading, or to reach
the grader or another submission). A control notebook has the honest content alone.

The background processes carry TOKEN in their command line, so that the test can look for
survivors among all processes of the machine; files a trick manages to create in the
grader's process are named by MARKER_FILE.
"""

import nbformat

from .submissions import IMPORTS, PICK, SCALE

HONEST = {"testing.scale": 2, "testing.row-norms": 0, "testing.eta": 0, "testing.pick": 1, "testing.knob": 0}
HONEST_CELLS = [
    IMPORTS,
    SCALE,
    "def row_norms(X):\n    return X.sum(axis=1)",
    "eta_max = 0.5",
    PICK,
    "knob_setting = {'eta': 0.1, 'hidden': 2}",
]

FAKE_VERDICT = (
    "def _claim(o):\n"
    "    if isinstance(o, dict):\n"
    "        o = {k: _claim(v) for k, v in o.items()}\n"
    "        if 'score' in o and 'max_points' in o:\n"
    "            o['score'], o['passed'] = o['max_points'], True\n"
    "        if isinstance(o.get('probe'), dict):\n"
    "            o['probe']['status'] = 'ok'\n"
    "    elif isinstance(o, list):\n"
    "        o = [_claim(v) for v in o]\n"
    "    return o\n"
)

TRICKS = {
    # the three tricks of the issue
    "json_dump": "import json\n" + FAKE_VERDICT +
    "_dump, _dumps = json.dump, json.dumps\n"
    "json.dump = lambda o, f, *a, **k: _dump(_claim(o), f, *a, **k)\n"
    "json.dumps = lambda o, *a, **k: _dumps(_claim(o), *a, **k)",
    "numpy_compare": "import numpy as np, numpy.testing\n"
    "np.allclose = lambda *a, **k: True\n"
    "np.array_equal = lambda *a, **k: True\n"
    "np.array_equiv = lambda *a, **k: True\n"
    "np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)\n"
    "np.testing.assert_allclose = lambda *a, **k: None",
    "os_replace": "import os, json\n" + FAKE_VERDICT +
    "_replace = os.replace\n"
    "def _fake_replace(src, dst, **k):\n"
    "    _replace(src, dst, **k)\n"
    "    try:\n"
    "        data = json.load(open(dst))\n"
    "        json.dump(_claim(data), open(dst, 'w'))\n"
    "    except Exception:\n"
    "        pass\n"
    "os.replace = _fake_replace",
    # builtins
    "builtins": "import builtins, json\n" + FAKE_VERDICT +
    "print('PASSED: testing.row-norms (1/1 points)')\n"
    "_open = builtins.open\n"
    "def _fake_open(path, mode='r', *a, **k):\n"
    "    f = _open(path, mode, *a, **k)\n"
    "    if 'w' in mode and str(path).endswith('.json'):\n"
    "        f.write(json.dumps({'done': True, 'results': {'testing.row-norms': {'score': 1, 'max_points': 1}}}))\n"
    "    return f\n"
    "builtins.open = _fake_open\n"
    "builtins.print = lambda *a, **k: None",
    # a fake collector in sys.modules (and an import hook), forging records before the real ones
    "sys_modules": "import sys, types, json, base64, pickle, importlib.abc, importlib.util\n"
    "class _Evil:\n"
    "    def __reduce__(self):\n"
    "        import os\n"
    "        return (os.system, ('touch ' + MARKER_FILE,))\n"
    "def _collect(requests_json, ns):\n"
    "    from IPython.display import publish_display_data\n"
    "    def say(rec):\n"
    "        publish_display_data({'text/x-nnbook-grade-record': json.dumps(rec)})\n"
    "    for r in json.loads(requests_json):\n"
    "        if r['id'] in ('testing.scale', 'testing.pick'):\n"
    "            continue\n"
    "        say({'event': 'start', 'id': r['id'], 'score': 99, 'passed': True})\n"
    "        if r['kind'] == 'function':\n"
    "            say({'event': 'head', 'id': r['id'], 'head': {'defined': True, 'callable': True, 'package': False}})\n"
    "            for i, case in enumerate(r['cases']):\n"
    "                args = case['items'][0]\n"
    "                bogus = {'$': 'ndarray', 'dtype': '<f8', 'shape': [1000], 'data': ''} if i == 0 else \\\n"
    "                    {'$': 'pickled', 'data': base64.b64encode(pickle.dumps(_Evil())).decode()}\n"
    "                say({'event': 'case', 'id': r['id'], 'i': i, 'probe': {'status': 'ok', 'value': bogus,\n"
    "                     'args': args, 'kwargs': case['items'][1], 'passed': True}})\n"
    "        else:\n"
    "            say({'event': 'value', 'id': r['id'], 'defined': True,\n"
    "                 'value': {'$': 'pickled', 'data': base64.b64encode(pickle.dumps(_Evil())).decode()}})\n"
    "        say({'event': 'end', 'id': r['id']})\n"
    "    sys.meta_path.remove(_finder)\n"
    "    sys.modules.pop('nnbook.exercises.grading_harness', None)\n"
    "    importlib.import_module('nnbook.exercises.grading_harness').collect(requests_json, ns)\n"
    "class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == 'nnbook.exercises.grading_harness':\n"
    "            return importlib.util.spec_from_loader(name, self)\n"
    "    def create_module(self, spec):\n"
    "        m = types.ModuleType(spec.name)\n"
    "        m.collect = _collect\n"
    "        return m\n"
    "    def exec_module(self, module):\n"
    "        pass\n"
    "_finder = _Finder()\n"
    "sys.meta_path.insert(0, _finder)\n"
    "fake = types.ModuleType('nnbook.exercises.grading_harness')\n"
    "fake.collect = _collect\n"
    "sys.modules['nnbook.exercises.grading_harness'] = fake\n"
    "sys.modules['json'].loads = lambda s, *a, **k: json.JSONDecoder().decode(s)",
    # everything the grader keeps on disk for this notebook (connection file, kernel spec,
    # log): read it, append fake results to it, plant startup files, write old-style result
    # files where the grader once looked for them
    "grader_files": "import os, json, pathlib\n"
    "mine = pathlib.Path(os.getcwd()).parent\n"
    "fake = json.dumps({'done': True, 'nonce': 'guess', 'results': {'testing.row-norms': {'score': 1, 'max_points': 1}}})\n"
    "seen = 0\n"
    "for p in mine.rglob('*'):\n"
    "    try:\n"
    "        if p.is_file() and p.suffix != '.ipynb':\n"
    "            p.read_bytes()\n"
    "            seen += 1\n"
    "            with open(p, 'a') as f:\n"
    "                f.write(fake)\n"
    "    except OSError:\n"
    "        pass\n"
    "for n in range(1, 6):\n"
    "    for folder in (mine, mine.parent, mine / 'run'):\n"
    "        try:\n"
    "            (folder / f'results-{n}.json').write_text(fake)\n"
    "        except OSError:\n"
    "            pass\n"
    "for d in [mine / 'work' / '.ipython', *mine.glob('run/ipython-*')]:\n"
    "    start = d / 'profile_default' / 'startup'\n"
    "    start.mkdir(parents=True, exist_ok=True)\n"
    "    (start / '00-evil.py').write_text('row_norms = lambda X: (X ** 2).sum(1) ** 0.5')\n"
    "print('files seen:', seen)\n"
    "os._exit(0)  # a new kernel would find the startup files, if it used this folder",
    # a neighbour's files: its copy of the notebook, its home
    "neighbour": "import os, pathlib, nbformat\n"
    "batch = pathlib.Path(os.getcwd()).parent.parent\n"
    "mine = pathlib.Path(os.getcwd()).parent\n"
    "for work in batch.glob('sub-*/work'):\n"
    "    if work.parent == mine:\n"
    "        continue\n"
    "    for nb in work.glob('*.ipynb'):\n"
    "        try:\n"
    "            nb.write_text('{ broken')\n"
    "        except OSError:\n"
    "            pass\n"
    "    try:\n"
    "        (work / 'sabotage.py').write_text('scale = None')\n"
    "    except OSError:\n"
    "        pass\n"
    "for other in SUBMISSIONS.glob('*.ipynb'):\n"
    "    if other.stem not in ('neighbour', 'control'):\n"
    "        continue\n"
    "    if other.stem == 'control':\n"
    "        other.write_text('{ broken')",
    # processes that try to outlive the grading
    "background": "import subprocess, sys, os\n"
    "sleeper = [sys.executable, '-c', 'import time, sys; time.sleep(120)', TOKEN]\n"
    "subprocess.Popen(sleeper, start_new_session=True)\n"
    "subprocess.Popen(['nohup', *sleeper], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        os.execv(sys.executable, sleeper)\n"
    "    os._exit(0)\n"
    "writer = [sys.executable, '-c', 'import time, sys; time.sleep(6); open(sys.argv[2], \"w\").write(\"hacked\")',\n"
    "          TOKEN, str(OUT / 'grades.csv')]\n"
    "subprocess.Popen(writer, start_new_session=True)",
    "fork_loop": "import os, time\n"
    "kids = []\n"
    "for _ in range(40):\n"
    "    try:\n"
    "        pid = os.fork()\n"
    "    except OSError:\n"
    "        break\n"
    "    if pid == 0:\n"
    "        time.sleep(30)\n"
    "        os._exit(0)\n"
    "    kids.append(pid)\n"
    "time.sleep(2.5)",
    "huge_output": "import sys\n"
    "chunk = 'x' * (1 << 20)\n"
    "for _ in range(120):\n"
    "    sys.stdout.write(chunk + '\\n')\n"
    "sys.stdout.flush()\n"
    "print('y' * (48 << 20))",
    # answers that are objects lying about themselves
    "liar": "import numpy as np\n"
    "class Liar:\n"
    "    def __eq__(self, other): return True\n"
    "    def __ne__(self, other): return False\n"
    "    def __array__(self, dtype=None, copy=None): return np.ones(3)\n"
    "    def __float__(self): return 0.25\n"
    "    def __index__(self): return 1\n"
    "    def __len__(self): return 3\n"
    "    def __iter__(self): return iter([1.0, 1.0, 1.0])\n"
    "    def __getitem__(self, k): return 1.0\n"
    "class LiarArray(np.ndarray):\n"
    "    def __eq__(self, other): return np.ones(np.shape(self), dtype=bool)\n"
    "def scale(x, a):\n"
    "    return Liar()\n"
    "def row_norms(X):\n"
    "    return np.zeros(len(X)).view(LiarArray)\n"
    "eta_max = Liar()\n"
    "knob_setting = {'eta': Liar(), 'hidden': 3}",
}

#: submission name -> expected scores
EXPECTED = {name: dict(HONEST) for name in TRICKS}
EXPECTED["control"] = dict(HONEST)
EXPECTED["liar"] = {"testing.scale": 0, "testing.row-norms": 0, "testing.eta": 0, "testing.pick": 1, "testing.knob": 0}


def write_batch(folder, out, token, marker_file):
    """Write the adversarial notebooks into `folder`; the tricks get `out`, `token`, `marker_file`."""
    folder.mkdir(parents=True, exist_ok=True)
    prelude = (f"import pathlib\nOUT = pathlib.Path({str(out)!r})\nSUBMISSIONS = pathlib.Path({str(folder)!r})\n"
               f"TOKEN = {token!r}\nMARKER_FILE = {str(marker_file)!r}")
    for name, trick in [("control", None), *TRICKS.items()]:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["nnbook"] = {"chapters": [99]}
        cells = list(HONEST_CELLS)
        if trick is not None:
            cells += [prelude, trick]
        nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
        nbformat.write(nb, str(folder / f"{name}.ipynb"))
    return EXPECTED
