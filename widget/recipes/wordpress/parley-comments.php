<?php
/**
 * Parley's comments in a WordPress theme, in place of WordPress's own.
 *
 * Copy this file into your theme (a child theme survives updates) and, in single.php (and
 * page.php if pages have comments), replace
 *     comments_template();
 * with
 *     get_template_part( 'parley-comments' );
 * Then turn WordPress's own comments off (Settings → Discussion), as the README's "Migrating from
 * WordPress" says. The page key is the post's permalink: the key an import from a WordPress
 * export (WXR) gives its comments, so they appear under the same post.
 *
 * Without JavaScript, readers get a link to the comments as HTML (thread.html).
 */

$parley_origin = 'https://comments.example.com';
$parley_site   = 'news';
$parley_page   = get_permalink();
$parley_html   = $parley_origin . '/api/v1/sites/' . rawurlencode( $parley_site )
	. '/thread.html?page=' . rawurlencode( $parley_page );
?>
<div id="comments">
	<noscript>
		<a href="<?php echo esc_url( $parley_html ); ?>"><?php esc_html_e( 'Read the comments' ); ?></a>
	</noscript>
</div>
<script src="<?php echo esc_url( $parley_origin . '/widget.js' ); ?>"
	data-site="<?php echo esc_attr( $parley_site ); ?>"
	data-page="<?php echo esc_attr( $parley_page ); ?>"
	data-title="<?php the_title_attribute(); ?>"
	data-lang="<?php echo esc_attr( get_bloginfo( 'language' ) ); ?>"
	async></script>
