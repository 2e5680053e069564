'use strict';
// action=protect (seed 003) through api-testing clients, and the page-protection scenario of
// MediaWiki's own api-testing suite: a sysop protects one page for sysops only and one for
// autoconfirmed users; who may edit which is then checked for a sysop, a user and an anonymous client.

const { action, assert, utils } = require('api-testing');

describe('Page protection', () => {
	const sysopOnly = utils.title('Protected_');
	const semi = utils.title('Semiprotected_');
	let mindy, alice, anon;

	const protect = async (title, protections, extra = {}) => {
		const body = await mindy.action('protect', {
			title, protections, token: await mindy.token(), ...extra
		}, 'POST');
		return body.protect;
	};

	before(async () => {
		[mindy, alice, anon] = await Promise.all([action.mindy(), action.alice(), action.getAnon()]);
		await mindy.edit(sysopOnly, { text: 'Only sysops may edit this.' });
		await mindy.edit(semi, { text: 'Only autoconfirmed users may edit this.' });
	});

	describe('protecting', () => {
		it('protects a page for sysops only', async () => {
			const result = await protect(sysopOnly, 'edit=sysop');
			assert.equal(result.title, sysopOnly.replace(/_/g, ' '));
			assert.deepEqual(result.protections, [{ edit: 'sysop', expiry: 'infinite' }]);
		});

		it('protects a page for autoconfirmed users', async () => {
			const result = await protect(semi, 'edit=autoconfirmed');
			assert.equal(result.protections[0].edit, 'autoconfirmed');
		});

		it('shows the protection in prop=info', async () => {
			const pages = await alice.prop('info', sysopOnly, { inprop: 'protection' });
			const page = Object.values(pages)[0];
			assert.deepEqual(page.protection, [{ type: 'edit', level: 'sysop', expiry: 'infinity' }]);
		});
	});

	describe('editing a page protected for sysops', () => {
		it('is allowed to a sysop', async () => {
			const result = await mindy.edit(sysopOnly, { text: 'A sysop edit.' });
			assert.equal(result.result, 'Success');
		});

		it('is refused to a user with protectedpage', async () => {
			const error = await alice.actionError('edit', {
				title: sysopOnly, text: 'A user edit.', token: await alice.token()
			}, 'POST');
			assert.equal(error.code, 'protectedpage');
		});

		it('is refused to an anonymous client with protectedpage', async () => {
			const error = await anon.actionError('edit', {
				title: sysopOnly, text: 'An anonymous edit.', token: await anon.token()
			}, 'POST');
			assert.equal(error.code, 'protectedpage');
		});
	});

	describe('editing a page protected for autoconfirmed users', () => {
		it('is allowed to an autoconfirmed user', async () => {
			const result = await alice.edit(semi, { text: 'An autoconfirmed edit.' });
			assert.equal(result.result, 'Success');
		});

		it('is refused to an anonymous client with protectedpage', async () => {
			const error = await anon.actionError('edit', {
				title: semi, text: 'An anonymous edit.', token: await anon.token()
			}, 'POST');
			assert.equal(error.code, 'protectedpage');
		});
	});

	describe('errors', () => {
		it('refuses a user without the protect right with permissiondenied', async () => {
			const error = await alice.actionError('protect', {
				title: semi, protections: 'edit=sysop', token: await alice.token()
			}, 'POST');
			assert.equal(error.code, 'permissiondenied');
		});

		it('refuses an unknown level with protect-invalidlevel', async () => {
			const error = await mindy.actionError('protect', {
				title: semi, protections: 'edit=nobody', token: await mindy.token()
			}, 'POST');
			assert.equal(error.code, 'protect-invalidlevel');
		});

		it('refuses an expiry in the past with pastexpiry', async () => {
			const error = await mindy.actionError('protect', {
				title: semi, protections: 'edit=sysop', expiry: '2001-01-01T00:00:00Z', token: await mindy.token()
			}, 'POST');
			assert.equal(error.code, 'pastexpiry');
		});

		it('refuses edit protection of a missing page with missingtitle-createonly', async () => {
			const error = await mindy.actionError('protect', {
				title: utils.title('Missing_'), protections: 'edit=sysop', token: await mindy.token()
			}, 'POST');
			assert.equal(error.code, 'missingtitle-createonly');
		});

		it('protects a missing title against creation (edits then fail with protectedpage)', async () => {
			const title = utils.title('Nocreate_');
			const result = await protect(title, 'create=sysop', { expiry: '1 week' });
			assert.equal(result.protections[0].create, 'sysop');
			const error = await alice.actionError('edit', {
				title, text: 'Creating it.', token: await alice.token()
			}, 'POST');
			assert.equal(error.code, 'protectedpage');  // MediaWiki 1.39 reports the create protection so
		});
	});

	describe('unprotecting', () => {
		it('lets everyone edit again', async () => {
			const result = await protect(sysopOnly, 'edit=all');
			assert.deepEqual(result.protections, [{ edit: '', expiry: 'infinite' }]);
			const edit = await alice.edit(sysopOnly, { text: 'Everyone may edit again.' });
			assert.equal(edit.result, 'Success');
		});
	});
});
