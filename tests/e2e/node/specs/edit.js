'use strict';
// action=edit through api-testing clients (its edit() helper also runs the job queue).

const { action, assert, utils } = require('api-testing');

describe('action=edit', () => {
	let alice, anon;

	before(async () => {
		[alice, anon] = await Promise.all([action.alice(), action.getAnon()]);
	});

	it('creates a page, then changes it, with new revision ids', async () => {
		const title = utils.title('Edit_');
		const created = await alice.edit(title, { text: 'First.' });
		assert.equal(created.result, 'Success');
		assert.property(created, 'new');
		const changed = await alice.edit(title, { text: 'Second.' });
		assert.isAbove(changed.newrevid, created.newrevid);
		assert.equal(changed.oldrevid, created.newrevid);
		assert.equal(changed.title, title.replace(/_/g, ' '));
	});

	it('answers nochange when the text is the same', async () => {
		const title = utils.title('Same_');
		await alice.edit(title, { text: 'Unchanged.' });
		const again = await alice.edit(title, { text: 'Unchanged.' });
		assert.property(again, 'nochange');
	});

	it('refuses createonly on an existing page with articleexists', async () => {
		const title = utils.title('Exists_');
		await alice.edit(title, { text: 'Here.' });
		const error = await alice.actionError('edit', {
			title, text: 'Again.', createonly: true, token: await alice.token()
		}, 'POST');
		assert.equal(error.code, 'articleexists');
	});

	it('refuses nocreate on a missing page with missingtitle', async () => {
		const error = await alice.actionError('edit', {
			title: utils.title('Missing_'), text: 'New.', nocreate: true, token: await alice.token()
		}, 'POST');
		assert.equal(error.code, 'missingtitle');
	});

	it('lets an anonymous client edit with the +\\ token', async () => {
		const result = await anon.edit(utils.title('Anonymous_'), { text: 'By an IP.' });
		assert.equal(result.result, 'Success');
	});

	it('refuses an edit with assert=user from an anonymous client', async () => {
		const error = await anon.actionError('edit', {
			title: utils.title('Assert_'), text: 'x', assert: 'user', token: await anon.token()
		}, 'POST');
		assert.equal(error.code, 'assertuserfailed');
	});
});
