<?php
/*
reset_password.php
MediaWiki API Demos
Demo of `Resetpassword` module: Reset password for all users with an email address.
MIT license
*/
$endPoint = "{{API_URL}}";
$csrf_Token = getCSRFToken(); // Step 1
resetPassword( $csrf_Token ); // Step 2
// Step 1: GET request to fetch CSRF token
function getCSRFToken() {
global $endPoint;
$params1 = [
"action" => "query",
"meta" => "tokens",
"format" => "json"
];
$url = $endPoint . "?" . http_build_query( $params1 );
$ch = curl_init( $url );
curl_setopt( $ch, CURLOPT_RETURNTRANSFER, true );
curl_setopt( $ch, CURLOPT_COOKIEJAR, "cookie.txt" );
curl_setopt( $ch, CURLOPT_COOKIEFILE, "cookie.txt" );
$output = curl_exec( $ch );
curl_close( $ch );
$result = json_decode( $output, true );
return $result["query"]["tokens"]["csrftoken"];
}
# Step 2: Send a POST request to reset the password for all
# users with e-mail address user@mediawiki.org.
function resetPassword( $csrftoken ) {
global $endPoint;
$params2 = [
"action" => "resetpassword",
"email" => "user@mediawiki.org",
"format" => "json",
"token" => $csrftoken
];
$ch = curl_init();
curl_setopt( $ch, CURLOPT_URL, $endPoint );
curl_setopt( $ch, CURLOPT_POST, true );
curl_setopt( $ch, CURLOPT_POSTFIELDS, http_build_query( $params2 ) );
curl_setopt( $ch, CURLOPT_RETURNTRANSFER, true );
curl_setopt( $ch, CURLOPT_COOKIEJAR, "cookie.txt" );
curl_setopt( $ch, CURLOPT_COOKIEFILE, "cookie.txt" );
$response = curl_exec($ch);
curl_close($ch);
echo ($response);
}
