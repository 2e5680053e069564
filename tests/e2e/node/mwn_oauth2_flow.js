'use strict';
// Drives wikigate with mwn authenticated by an OAuth 2 bearer token (its OAuth2AccessToken option,
// the token from `wikigate oauth token`): init without any login, save, protect, and login()
// refused with mwn's own OAuth message. Prints "ok: ..." per check; a failure names the step.
// The token comes in WIKI_OAUTH2_TOKEN, not on the command line, so failures never show it.

const { Mwn } = require('mwn');
const { step, check, run } = require('./flow_support');

const apiUrl = process.env.WIKI_API_URL;
const accessToken = process.env.WIKI_OAUTH2_TOKEN;
const [userName, userPassword] = process.argv.slice(2);


async function main() {
	// With OAuth2AccessToken, Mwn.init never logs in: every request carries
	// "Authorization: Bearer ...", and init only fetches tokens, siteinfo and userinfo with it.
	const bot = await step('Mwn.init({OAuth2AccessToken}) (meta=tokens|siteinfo|userinfo)', () => Mwn.init({
		apiUrl, OAuth2AccessToken: accessToken, userAgent: 'wikigate-e2e mwn oauth2', silent: true,
		maxRetries: 2, retryPause: 100
	}));
	check(bot.usingOAuth2 === true, 'mwn uses OAuth 2');
	check(bot.csrfToken.endsWith('+\\') && bot.csrfToken.length === 42, 'a csrf token through the bearer token');
	// init reads the rights (uiprop=rights): the token's highvolume grant gives apihighlimits.
	check(bot.hasApiHighLimit === true, 'the token carries apihighlimits (highvolume grant)');
	const me = await step('GET meta=userinfo', () => bot.userinfo({ uiprop: 'groups|rights' }));
	check(me.name === userName && !('anon' in me), `the token acts as ${userName}`, me);
	check(me.groups.includes('sysop') && me.rights.includes('protect'), 'with the sysop rights its grants allow', me);

	const title = 'E2E mwn OAuth 2';
	const saved = await step(`POST action=edit title=${title}`,
		() => bot.save(title, 'Written through an OAuth 2 token.', 'e2e mwn oauth2'));
	check(saved.result === 'Success', 'save() with the bearer token', saved);
	const page = await step(`GET prop=revisions titles=${title}`, () => bot.read(title, { rvprop: 'content|user' }));
	check(page.revisions[0].user === userName && page.revisions[0].content === 'Written through an OAuth 2 token.',
		'the edit is the token user\'s', page);

	const protect = await step(`POST action=protect title=${title} protections=edit=sysop`,
		() => bot.request({ action: 'protect', title, protections: 'edit=sysop', token: bot.csrfToken }));
	check(protect.protect.protections[0].edit === 'sysop', 'protect through bot.request()', protect);
	const info = await step(`GET prop=info inprop=protection titles=${title}`,
		() => bot.request({ action: 'query', prop: 'info', inprop: 'protection', titles: title }));
	check(info.query.pages[0].protection.some((p) => p.type === 'edit' && p.level === 'sysop'),
		'the protection is stored', info.query.pages[0]);

	// MediaWiki answers action=login under an OAuth session with result=Aborted and the
	// extension's reason; mwn recognises that exact reason and says so in its own words.
	let refusal = null;
	try {
		await step(`GET meta=tokens type=login + POST action=login lgname=${userName} (under OAuth)`,
			() => bot.login({ username: userName, password: userPassword }));
	} catch (error) {
		refusal = error;
	}
	check(refusal !== null && refusal.code === 'mwn_failedlogin' &&
		refusal.info === 'Cannot use login/logout while using OAuth',
	'login() under OAuth is refused with mwn\'s OAuth message',
	refusal && { code: refusal.code, info: refusal.info, response: refusal.response });
	check(refusal.response.login.result === 'Aborted', 'the server answered login result=Aborted',
		refusal.response);

	// The refused login changed nothing: the token still edits.
	const after = await step(`POST action=edit title=${title} (after the refused login)`,
		() => bot.save(title, 'Still written through the token.', 'e2e mwn oauth2'));
	check(after.result === 'Success', 'the token still works after the refused login', after);
	console.log('done');
}

run(main);
