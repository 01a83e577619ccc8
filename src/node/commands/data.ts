import { UserError } from '../../core/errors.js';
import { requireInt } from '../args.js';
import { F, type Command } from '../command.js';
import { CACHE_PLACES, LECTURE_NAMES, cacheDir, cachedCopy, download, expectation, storeAtomic, targetName, verify } from '../data-cache.js';
import { loadDataset, readBytes } from '../io.js';

export const dataCommand: Command = {
  name: 'data',
  brief: "Show the names, vocabulary and split; --download stores the lecture's names.txt.",
  summary:
    'Show the vocabulary, the name count, the 80/10/10 split and the first shuffled names.\n' +
    `--download fetches the lecture's names.txt (${LECTURE_NAMES.lines} names, checked by sha256) into the per-user cache,\n` +
    '--add FILE checks and stores a copy you got some other way; then `-i names` reads it in every command.\n' +
    `The cache: ${CACHE_PLACES}.`,
  flags: [
    F.input, F.maxInput, F.blockSize, { name: 'show', type: 'int', default: 10, help: 'how many shuffled names to list' }, F.json,
    { name: 'download', type: 'boolean', help: "download the lecture's names.txt into the cache and print its path" },
    { name: 'url', type: 'string', help: `where --download fetches from (default: ${LECTURE_NAMES.url})` },
    { name: 'sha256', type: 'string', help: 'the sha256 the file must have (default: the lecture\'s names.txt, 0a30b555...)' },
    { name: 'add', type: 'string', help: 'check FILE (as --download does) and store a copy in the cache' },
    F.help,
  ],
  async run(args) {
    const url = args.url as string | undefined;
    const sha = args.sha256 as string | undefined;
    const add = args.add as string | undefined;
    if (args.download === true || add !== undefined) {
      if (args.download === true && add !== undefined) throw new UserError('give --download or --add FILE, not both');
      if (args.inputFile !== undefined) throw new UserError(`-i reads a names file; with ${add !== undefined ? '--add' : '--download'} leave it out`);
      const want = expectation(sha);
      let path: string;
      let stored = 'verified and stored';
      if (add !== undefined) {
        if (url !== undefined) throw new UserError('--url goes with --download, not --add');
        const bytes = readBytes(add, 'names file');
        verify(bytes, want, add);
        path = storeAtomic(targetName(add, want), bytes);
      } else {
        const from = url ?? LECTURE_NAMES.url;
        // a verified copy already in the cache is the file asked for (a file is known by its hash): no network
        const have = cachedCopy(targetName(new URL(from, 'file:///').pathname, want), want);
        stored = have === undefined ? 'downloaded, verified' : 'already in the cache, verified';
        path = have ?? await download({ url: from, want }).catch((e: unknown) => {
          // offline, blocked, or a bad copy on the way (every such line ends so): the file can come from elsewhere
          if (!(e instanceof UserError) || !e.message.endsWith('nothing was kept')) throw e;
          throw new UserError(`${e.message}; with the file from elsewhere (a browser, a colleague): backprop-ninja data --add FILE${sha === undefined ? '' : ` --sha256 ${sha}`}`);
        });
      }
      const short = path.slice(cacheDir().length + 1).replace(/\.txt$/, '');
      console.log(path);
      process.stderr.write(`${stored} (sha256 ${want.sha256.slice(0, 8)}...); read it with -i ${short}, e.g. npx backprop-ninja train -i ${short} --test\n`);
      return 0;
    }
    if (url !== undefined || sha !== undefined) throw new UserError(`--${url !== undefined ? 'url' : 'sha256'} goes with --download (or --add FILE)`);
    const blockSize = requireInt(args, 'block-size', 1);
    const show = requireInt(args, 'show', 0);
    const ds = loadDataset(args.inputFile as string | undefined, blockSize);
    const info = {
      source: ds.source,
      names: ds.words.length,
      vocabSize: ds.itos.length,
      vocab: ds.itos.join(''),
      blockSize,
      split: { train: ds.train.n, val: ds.val.n, test: ds.test.n },
      firstShuffled: ds.words.slice(0, show),
    };
    if (args.json) {
      console.log(JSON.stringify(info, null, 2));
      return 0;
    }
    console.log(`data:       ${info.source}`);
    console.log(`names:      ${info.names}`);
    console.log(`vocab:      ${info.vocabSize} tokens: ${JSON.stringify(info.vocab)} ('.' = 0 starts and ends a name)`);
    console.log(`block size: ${blockSize}`);
    console.log(`split:      train ${info.split.train} / val ${info.split.val} / test ${info.split.test} rows (80/10/10 of the names after random.seed(42); random.shuffle)`);
    console.log(`shuffled:   ${info.firstShuffled.join(', ')}${show < ds.words.length ? ', ...' : ''}`);
    return 0;
  },
};
