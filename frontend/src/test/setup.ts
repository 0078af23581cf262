import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import '../i18n';

// The find* queries wait for what a page renders after its requests; on a
// busy machine (CI runs several suites at once) one second is not always
// enough, so they wait up to five before failing.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => cleanup());
